#include "faulty_vfs.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <mutex>

namespace doorstep::testing {
namespace {

// SQLite allocates szOsFile bytes per open file: our header, then the real VFS's file.
struct FaultyFile {
    sqlite3_file Base;   // first, so SQLite's sqlite3_file* points at it
    sqlite3_file* Real;  // the wrapped file, placed right after this struct
};

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs{};
sqlite3_io_methods g_methods[3]{};  // one table per io_methods version 1..3, as the real file has

std::atomic<bool> g_armed{false};
std::atomic<int> g_calls_before_fault{0};  // write-type calls still allowed while armed
std::atomic<FaultKind> g_kind{FaultKind::IoError};
std::atomic<int> g_injected{0};

sqlite3_file* Real(sqlite3_file* file) {
    return reinterpret_cast<FaultyFile*>(file)->Real;
}

// Returns the code to fail with, or SQLITE_OK to let the call through.
int Fault(int io_error) {
    if (!g_armed.load() || g_calls_before_fault.fetch_sub(1) > 0) {
        return SQLITE_OK;
    }
    g_injected.fetch_add(1);
    return g_kind.load() == FaultKind::DiskFull ? SQLITE_FULL : io_error;
}

// --- io methods: the write-type ones may fail, the rest delegate ------------------------------

int Close(sqlite3_file* file) {
    return Real(file)->pMethods->xClose(Real(file));
}
int Read(sqlite3_file* file, void* buffer, int amount, sqlite3_int64 offset) {
    return Real(file)->pMethods->xRead(Real(file), buffer, amount, offset);
}
int Write(sqlite3_file* file, const void* buffer, int amount, sqlite3_int64 offset) {
    if (int rc = Fault(SQLITE_IOERR_WRITE); rc != SQLITE_OK) {
        return rc;
    }
    return Real(file)->pMethods->xWrite(Real(file), buffer, amount, offset);
}
int Truncate(sqlite3_file* file, sqlite3_int64 size) {
    if (int rc = Fault(SQLITE_IOERR_TRUNCATE); rc != SQLITE_OK) {
        return rc;
    }
    return Real(file)->pMethods->xTruncate(Real(file), size);
}
int Sync(sqlite3_file* file, int flags) {
    if (int rc = Fault(SQLITE_IOERR_FSYNC); rc != SQLITE_OK) {
        return rc;
    }
    return Real(file)->pMethods->xSync(Real(file), flags);
}
int FileSize(sqlite3_file* file, sqlite3_int64* size) {
    return Real(file)->pMethods->xFileSize(Real(file), size);
}
int Lock(sqlite3_file* file, int level) {
    return Real(file)->pMethods->xLock(Real(file), level);
}
int Unlock(sqlite3_file* file, int level) {
    return Real(file)->pMethods->xUnlock(Real(file), level);
}
int CheckReservedLock(sqlite3_file* file, int* reserved) {
    return Real(file)->pMethods->xCheckReservedLock(Real(file), reserved);
}
int FileControl(sqlite3_file* file, int op, void* argument) {
    return Real(file)->pMethods->xFileControl(Real(file), op, argument);
}
int SectorSize(sqlite3_file* file) {
    return Real(file)->pMethods->xSectorSize(Real(file));
}
int DeviceCharacteristics(sqlite3_file* file) {
    return Real(file)->pMethods->xDeviceCharacteristics(Real(file));
}
// Version 2: shared memory for the WAL index. Delegated whole: the real VFS maps the -shm file.
int ShmMap(sqlite3_file* file, int page, int page_size, int extend, void volatile** memory) {
    return Real(file)->pMethods->xShmMap(Real(file), page, page_size, extend, memory);
}
int ShmLock(sqlite3_file* file, int offset, int count, int flags) {
    return Real(file)->pMethods->xShmLock(Real(file), offset, count, flags);
}
void ShmBarrier(sqlite3_file* file) {
    Real(file)->pMethods->xShmBarrier(Real(file));
}
int ShmUnmap(sqlite3_file* file, int delete_flag) {
    return Real(file)->pMethods->xShmUnmap(Real(file), delete_flag);
}
// Version 3: memory-mapped reads.
int Fetch(sqlite3_file* file, sqlite3_int64 offset, int amount, void** pointer) {
    return Real(file)->pMethods->xFetch(Real(file), offset, amount, pointer);
}
int Unfetch(sqlite3_file* file, sqlite3_int64 offset, void* pointer) {
    return Real(file)->pMethods->xUnfetch(Real(file), offset, pointer);
}

// --- vfs methods -------------------------------------------------------------------------------

int Open(sqlite3_vfs*, sqlite3_filename name, sqlite3_file* file, int flags, int* out_flags) {
    auto* faulty = reinterpret_cast<FaultyFile*>(file);
    faulty->Real = reinterpret_cast<sqlite3_file*>(faulty + 1);
    faulty->Base.pMethods = nullptr;
    int rc = g_real->xOpen(g_real, name, faulty->Real, flags, out_flags);
    // SQLite calls xClose whenever pMethods is set, even after a failed open: mirror the real one.
    if (faulty->Real->pMethods != nullptr) {
        int version = std::clamp(faulty->Real->pMethods->iVersion, 1, 3);
        faulty->Base.pMethods = &g_methods[version - 1];
    }
    return rc;
}
int Delete(sqlite3_vfs*, const char* name, int sync_dir) {
    return g_real->xDelete(g_real, name, sync_dir);
}
int Access(sqlite3_vfs*, const char* name, int flags, int* result) {
    return g_real->xAccess(g_real, name, flags, result);
}
int FullPathname(sqlite3_vfs*, const char* name, int size, char* out) {
    return g_real->xFullPathname(g_real, name, size, out);
}
void* DlOpen(sqlite3_vfs*, const char* name) {
    return g_real->xDlOpen(g_real, name);
}
void DlError(sqlite3_vfs*, int size, char* message) {
    g_real->xDlError(g_real, size, message);
}
void (*DlSym(sqlite3_vfs*, void* handle, const char* symbol))(void) {
    return g_real->xDlSym(g_real, handle, symbol);
}
void DlClose(sqlite3_vfs*, void* handle) {
    g_real->xDlClose(g_real, handle);
}
int Randomness(sqlite3_vfs*, int size, char* out) {
    return g_real->xRandomness(g_real, size, out);
}
int Sleep(sqlite3_vfs*, int microseconds) {
    return g_real->xSleep(g_real, microseconds);
}
int CurrentTime(sqlite3_vfs*, double* now) {
    return g_real->xCurrentTime(g_real, now);
}
int GetLastError(sqlite3_vfs*, int size, char* message) {
    return g_real->xGetLastError(g_real, size, message);
}
int CurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* now) {
    return g_real->xCurrentTimeInt64(g_real, now);
}

void Install() {
    g_real = sqlite3_vfs_find(nullptr);
    for (int version = 1; version <= 3; ++version) {
        sqlite3_io_methods& methods = g_methods[version - 1];
        methods.iVersion = version;
        methods.xClose = Close;
        methods.xRead = Read;
        methods.xWrite = Write;
        methods.xTruncate = Truncate;
        methods.xSync = Sync;
        methods.xFileSize = FileSize;
        methods.xLock = Lock;
        methods.xUnlock = Unlock;
        methods.xCheckReservedLock = CheckReservedLock;
        methods.xFileControl = FileControl;
        methods.xSectorSize = SectorSize;
        methods.xDeviceCharacteristics = DeviceCharacteristics;
        if (version >= 2) {
            methods.xShmMap = ShmMap;
            methods.xShmLock = ShmLock;
            methods.xShmBarrier = ShmBarrier;
            methods.xShmUnmap = ShmUnmap;
        }
        if (version >= 3) {
            methods.xFetch = Fetch;
            methods.xUnfetch = Unfetch;
        }
    }
    // Version 2 is enough: the system-call hooks of version 3 are for SQLite's own tests.
    g_vfs.iVersion = 2;
    g_vfs.szOsFile = static_cast<int>(sizeof(FaultyFile)) + g_real->szOsFile;
    g_vfs.mxPathname = g_real->mxPathname;
    g_vfs.zName = FaultyVfs::kName;
    g_vfs.xOpen = Open;
    g_vfs.xDelete = Delete;
    g_vfs.xAccess = Access;
    g_vfs.xFullPathname = FullPathname;
    g_vfs.xDlOpen = DlOpen;
    g_vfs.xDlError = DlError;
    g_vfs.xDlSym = DlSym;
    g_vfs.xDlClose = DlClose;
    g_vfs.xRandomness = Randomness;
    g_vfs.xSleep = Sleep;
    g_vfs.xCurrentTime = CurrentTime;
    g_vfs.xGetLastError = GetLastError;
    g_vfs.xCurrentTimeInt64 = g_real->iVersion >= 2 ? CurrentTimeInt64 : nullptr;
    sqlite3_vfs_register(&g_vfs, /*makeDflt=*/0);
}

}  // namespace

void FaultyVfs::Register() {
    static std::once_flag once;
    std::call_once(once, Install);
}

void FaultyVfs::FailWritesAfter(int n, FaultKind kind) {
    g_kind.store(kind);
    g_calls_before_fault.store(std::max(n, 1) - 1);
    g_armed.store(true);
}

void FaultyVfs::Heal() {
    g_armed.store(false);
}

int FaultyVfs::InjectedFaults() {
    return g_injected.load();
}

}  // namespace doorstep::testing
