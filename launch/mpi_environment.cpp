// The only file of mic with raw MPI_ calls (io/hdf5_file.cpp hands the MPI_Comm that
// native_handle() points at to HDF5's MPI-IO driver, without calling MPI itself).
#include "launch/mpi_environment.hpp"

#include <mpi.h>

#include <cstdlib>
#include <exception>
#include <functional>
#include <limits>
#include <stdexcept>
#include <string>

namespace mic {
namespace {

void check(int code, const char* what) {
    if (code != MPI_SUCCESS) throw std::runtime_error(std::string("MPI call failed: ") + what);
}

MPI_Op to_mpi(reduce_op op) {
    switch (op) {
    case reduce_op::sum: return MPI_SUM;
    case reduce_op::min: return MPI_MIN;
    case reduce_op::max: return MPI_MAX;
    }
    return MPI_SUM;
}

int checked_count(std::size_t n) {
    if (n > static_cast<std::size_t>(std::numeric_limits<int>::max()))
        throw std::runtime_error("MPI message larger than 2^31 elements");
    return static_cast<int>(n);
}

// A contiguous MPI type of `bytes` bytes: gathers count in elements, so that their totals may exceed
// 2^31 bytes.
struct element_type {
    MPI_Datatype type;
    explicit element_type(int bytes) {
        check(MPI_Type_contiguous(bytes, MPI_BYTE, &type), "MPI_Type_contiguous");
        check(MPI_Type_commit(&type), "MPI_Type_commit");
    }
    ~element_type() { MPI_Type_free(&type); }
    element_type(const element_type&) = delete;
    element_type& operator=(const element_type&) = delete;
};

class mpi_backend final: public communicator_backend {
public:
    // `owned`: a communicator made by split(), freed with this backend (every rank of it frees it at
    // the same point of the same program, so MPI_Comm_free's collective semantics hold).
    explicit mpi_backend(MPI_Comm comm, bool owned = false): comm_(comm), owned_(owned) {
        check(MPI_Comm_rank(comm_, &rank_), "MPI_Comm_rank");
        check(MPI_Comm_size(comm_, &size_), "MPI_Comm_size");
    }
    ~mpi_backend() override {
        int finalized = 0;
        MPI_Finalized(&finalized);
        if (owned_ && !finalized) MPI_Comm_free(&comm_);
    }
    mpi_backend(const mpi_backend&) = delete;
    mpi_backend& operator=(const mpi_backend&) = delete;
    std::shared_ptr<const communicator_backend> split(int color, int key) const override {
        MPI_Comm part = MPI_COMM_NULL;
        check(MPI_Comm_split(comm_, color, key, &part), "MPI_Comm_split");
        return std::make_shared<mpi_backend>(part, true);
    }
    int rank() const override { return rank_; }
    int size() const override { return size_; }
    void barrier() const override { check(MPI_Barrier(comm_), "MPI_Barrier"); }
    void allreduce(std::span<double> values, reduce_op op) const override {
        check(MPI_Allreduce(MPI_IN_PLACE, values.data(), checked_count(values.size()), MPI_DOUBLE, to_mpi(op), comm_),
              "MPI_Allreduce");
    }
    void allreduce(std::span<std::int64_t> values, reduce_op op) const override {
        check(MPI_Allreduce(MPI_IN_PLACE, values.data(), checked_count(values.size()), MPI_INT64_T, to_mpi(op), comm_),
              "MPI_Allreduce");
    }
    void alltoallv(std::span<const double> send, std::span<const int> send_counts, std::span<double> receive,
                   std::span<const int> receive_counts) const override {
        std::vector<int> send_displs(send_counts.size()), receive_displs(receive_counts.size());
        std::size_t at = 0;
        for (std::size_t r = 0; r < send_counts.size(); ++r) send_displs[r] = checked_count(at), at += std::size_t(send_counts[r]);
        at = 0;
        for (std::size_t r = 0; r < receive_counts.size(); ++r)
            receive_displs[r] = checked_count(at), at += std::size_t(receive_counts[r]);
        check(MPI_Alltoallv(send.data(), send_counts.data(), send_displs.data(), MPI_DOUBLE, receive.data(),
                            receive_counts.data(), receive_displs.data(), MPI_DOUBLE, comm_),
              "MPI_Alltoallv");
    }
    void broadcast_bytes(std::span<std::byte> bytes, int root) const override {
        check(MPI_Bcast(bytes.data(), checked_count(bytes.size()), MPI_BYTE, root, comm_), "MPI_Bcast");
    }
    std::vector<std::byte> allgatherv_bytes(std::span<const std::byte> local, std::size_t unit,
                                            std::vector<std::int64_t>& counts) const override {
        if (unit == 0 || local.size() % unit != 0) throw std::logic_error("allgatherv_bytes: a partial element");
        // Counts in elements of `unit` bytes, exchanged as int64 first: every rank then sees the same
        // counts, so the size checks below fail on every rank alike (none is left waiting).
        const std::int64_t mine = static_cast<std::int64_t>(local.size() / unit);
        std::vector<std::int64_t> all(static_cast<std::size_t>(size_));
        check(MPI_Allgather(&mine, 1, MPI_INT64_T, all.data(), 1, MPI_INT64_T, comm_), "MPI_Allgather");
        std::int64_t total = 0;
        counts.assign(all.size(), 0);
        for (std::size_t r = 0; r < all.size(); ++r) {
            counts[r] = all[r] * std::int64_t(unit);
            total += all[r];
        }
        checked_count(static_cast<std::size_t>(total));  // elements: the same verdict on every rank
        std::vector<std::byte> out(static_cast<std::size_t>(total) * unit);
        // Bytes when they fit an int (the usual case: no datatype to make per call), else elements.
        const bool in_bytes = total * std::int64_t(unit) <= std::int64_t(std::numeric_limits<int>::max());
        const std::int64_t scale = in_bytes ? std::int64_t(unit) : 1;
        std::vector<int> int_counts(all.size()), displs(all.size());
        std::int64_t at = 0;
        for (std::size_t r = 0; r < all.size(); ++r) {
            displs[r] = static_cast<int>(at * scale);
            int_counts[r] = static_cast<int>(all[r] * scale);
            at += all[r];
        }
        const auto send = static_cast<int>(mine * scale);
        if (in_bytes) {
            check(MPI_Allgatherv(local.data(), send, MPI_BYTE, out.data(), int_counts.data(), displs.data(), MPI_BYTE, comm_),
                  "MPI_Allgatherv");
        } else {
            const element_type element(checked_count(unit));
            check(MPI_Allgatherv(local.data(), send, element.type, out.data(), int_counts.data(), displs.data(),
                                 element.type, comm_),
                  "MPI_Allgatherv");
        }
        return out;
    }
    void gatherv_bytes(std::span<const std::byte> local, std::size_t unit, std::vector<std::int64_t>& counts, int root,
                       const std::function<std::byte*(std::size_t)>& destination) const override {
        if (unit == 0 || local.size() % unit != 0) throw std::logic_error("gatherv_bytes: a partial element");
        // Counts in elements of `unit` bytes (a contiguous MPI type), so that the root may receive
        // more than 2^31 bytes in all. The root checks that the total fits MPI's int counts and
        // allocates; every rank learns the outcome (one reduction) before any enters the gather.
        const std::int64_t mine = static_cast<std::int64_t>(local.size() / unit);
        const bool at_root = rank_ == root;
        std::vector<std::int64_t> all(at_root ? static_cast<std::size_t>(size_) : 0);
        check(MPI_Gather(&mine, 1, MPI_INT64_T, all.data(), 1, MPI_INT64_T, root, comm_), "MPI_Gather");
        std::vector<int> int_counts(all.size()), displs(all.size());
        std::byte* out = nullptr;
        std::exception_ptr failure;
        if (at_root) {
            try {
                std::int64_t total = 0;
                for (std::size_t r = 0; r < all.size(); ++r) {
                    displs[r] = checked_count(static_cast<std::size_t>(total));
                    int_counts[r] = checked_count(static_cast<std::size_t>(all[r]));
                    total += all[r];
                }
                checked_count(static_cast<std::size_t>(total));
                counts.assign(all.size(), 0);
                for (std::size_t r = 0; r < all.size(); ++r) counts[r] = all[r] * std::int64_t(unit);
                out = destination(static_cast<std::size_t>(total) * unit);
            } catch (...) {
                failure = std::current_exception();
            }
        }
        int ok = failure ? 0 : 1;
        check(MPI_Allreduce(MPI_IN_PLACE, &ok, 1, MPI_INT, MPI_MIN, comm_), "MPI_Allreduce");
        if (failure) std::rethrow_exception(failure);
        if (!ok) throw std::runtime_error("a gather failed on rank " + std::to_string(root) + " (too large, or out of memory)");
        const element_type element(checked_count(unit));
        // mine ≤ the total, which fits an int (ok above).
        check(MPI_Gatherv(local.data(), static_cast<int>(mine), element.type, out, int_counts.data(), displs.data(),
                          element.type, root, comm_),
              "MPI_Gatherv");
    }
    const void* native_handle() const override { return &comm_; }

private:
    MPI_Comm comm_;
    bool owned_ = false;
    int rank_ = 0, size_ = 1;
};

} // namespace

mpi_guard::mpi_guard(int& argc, char**& argv) {
    int provided = 0;
    // FUNNELED: threads may compute, only the main thread talks to MPI.
    check(MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided), "MPI_Init_thread");
}

mpi_guard::~mpi_guard() {
    if (std::uncaught_exceptions() > 0) return;  // see the header: finalising here could hang
    int finalized = 0;
    MPI_Finalized(&finalized);
    if (!finalized) MPI_Finalize();
}

communicator make_world_communicator() { return communicator(std::make_shared<mpi_backend>(MPI_COMM_WORLD)); }

void abort_all(int exit_code) {
    MPI_Abort(MPI_COMM_WORLD, exit_code);
    std::_Exit(exit_code);  // MPI_Abort does not return; this satisfies [[noreturn]] if it did
}

std::string mpi_library_version() {
    char text[MPI_MAX_LIBRARY_VERSION_STRING];
    int length = 0;
    MPI_Get_library_version(text, &length);
    std::string version(text, static_cast<std::size_t>(length));
    if (auto comma = version.find(','); comma != std::string::npos) version.resize(comma);
    while (!version.empty() && (version.back() == '\n' || version.back() == ' ')) version.pop_back();
    return version;
}

} // namespace mic
