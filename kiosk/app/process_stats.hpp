// What the kiosk logs about its own cost: CPU time and resident memory.
#pragma once

namespace doorstep {

// CPU time of the whole process so far, in ms (the GL driver's worker threads included).
double ProcessCpuMs();
// Resident memory in KiB, -1 when /proc does not say.
long ResidentKilobytes();

}  // namespace doorstep
