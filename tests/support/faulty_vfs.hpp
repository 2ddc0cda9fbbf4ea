// A test VFS named "faulty" that wraps the default one ("unix") and can be told to fail writes,
// the way SQLite's own ioerr tests make the N-th I/O call fail. Open a Store with
// StoreOptions{.Vfs = FaultyVfs::kName} after FaultyVfs::Register().
//
// Only calls that change a file count: xWrite, xSync and xTruncate, on every file the VFS opens
// (database, WAL, journal). Reads, locks and shared memory always go to the real VFS.
#pragma once

namespace doorstep::testing {

enum class FaultKind {
    IoError,   // SQLITE_IOERR_WRITE / _FSYNC / _TRUNCATE: a failing disk, a read-only remount
    DiskFull,  // SQLITE_FULL: no space left
};

class FaultyVfs {
  public:
    static constexpr const char* kName = "faulty";

    // Registers the VFS (not as the default). Safe to call more than once.
    static void Register();
    // Counting from now, the n-th write-type call and every later one fails (n <= 1: the next).
    static void FailWritesAfter(int n, FaultKind kind = FaultKind::IoError);
    // Stops failing; the counters of calls restart.
    static void Heal();
    // Faults injected since the program started.
    static int InjectedFaults();
};

}  // namespace doorstep::testing
