#pragma once
// The one communicator type of mic (after arbor's distributed_context): a value that knows its rank
// and the number of ranks and offers the few collectives the models need. Two backends implement
// it: a single-process one (below, `make_local_communicator`) and an MPI one (launch/mpi_environment.cpp,
// the only file with raw MPI_ calls). Math code receives a `const communicator&` and never asks
// which backend it has.
//
// Every member except rank(), size() and native_handle() is collective: all ranks of the
// communicator must call it, in the same order, with the same root and the same element type.
#include <complex>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <memory>
#include <numeric>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <vector>

namespace mic {

enum class reduce_op { sum, min, max };

// What a backend implements. Element-typed reductions over double and int64 cover every reduction
// in mic; everything else moves bytes.
class communicator_backend {
public:
    virtual ~communicator_backend() = default;
    virtual int rank() const = 0;
    virtual int size() const = 0;
    virtual void barrier() const = 0;
    virtual void allreduce(std::span<double> values, reduce_op op) const = 0;
    virtual void allreduce(std::span<std::int64_t> values, reduce_op op) const = 0;
    virtual void broadcast_bytes(std::span<std::byte> bytes, int root) const = 0;
    // Concatenation, in rank order, of every rank's `local` (a whole number of `unit`-byte elements;
    // counts are taken in elements, so that the total may exceed 2^31 bytes); `counts[r]` receives the
    // byte count of rank r. A total too large for MPI throws on every rank alike.
    virtual std::vector<std::byte> allgatherv_bytes(std::span<const std::byte> local, std::size_t unit,
                                                    std::vector<std::int64_t>& counts) const = 0;
    // On `root`: writes the concatenation, in rank order, of every rank's `local` (a whole number of
    // `unit`-byte elements; counts are taken in elements, so that a gather may exceed 2^31 bytes) to
    // destination(total bytes), and `counts[r]` receives the byte count of rank r. Elsewhere nothing
    // is written and `destination` is not called.
    virtual void gatherv_bytes(std::span<const std::byte> local, std::size_t unit, std::vector<std::int64_t>& counts,
                               int root, const std::function<std::byte*(std::size_t)>& destination) const = 0;
    // Personalised exchange of doubles with counts known to both sides: send[...] holds, in rank
    // order, send_counts[r] values for each rank r; receive gets receive_counts[r] values from each r,
    // in rank order. Every rank's receive_counts[r] must equal rank r's send_counts[this rank].
    virtual void alltoallv(std::span<const double> send, std::span<const int> send_counts, std::span<double> receive,
                           std::span<const int> receive_counts) const = 0;
    // Collective: the ranks with the same `color` form a new backend, ranked by (key, rank).
    virtual std::shared_ptr<const communicator_backend> split(int color, int key) const = 0;
    // The backend's native handle (a pointer to the MPI_Comm for MPI), or nullptr. Only io/ uses it,
    // to hand the communicator to HDF5's MPI-IO driver.
    virtual const void* native_handle() const { return nullptr; }
};

// Collectives made through a communicator, and the payload bytes each rank sent into them (for the
// scaling model: `mic fit --json` reports them per iteration).
struct collective_counts {
    std::int64_t calls = 0;
    std::int64_t bytes = 0;
};

template <class T>
concept reducible = std::same_as<T, double> || std::same_as<T, std::int64_t>;

class communicator {
public:
    explicit communicator(std::shared_ptr<const communicator_backend> backend)
        : backend_(std::move(backend)), counts_(std::make_shared<collective_counts>()) {}

    int rank() const { return backend_->rank(); }
    int size() const { return backend_->size(); }
    bool is_root() const { return rank() == 0; }
    const void* native_handle() const { return backend_->native_handle(); }

    void barrier() const {
        count(0);
        backend_->barrier();
    }
    // So far on this communicator (copies share the counts; a split() starts its own).
    collective_counts counts() const { return *counts_; }

    // Collective: a communicator of the ranks that pass the same `color` (≥ 0), ranked in the order of
    // their rank here. Work groups of `mic cv` run independent fits on them.
    communicator split(int color) const { return communicator(backend_->split(color, rank())); }

    // In-place element-wise reductions over all ranks.
    template <reducible T> void sum(std::span<T> values) const { reduce(values, reduce_op::sum); }
    template <reducible T> void min(std::span<T> values) const { reduce(values, reduce_op::min); }
    template <reducible T> void max(std::span<T> values) const { reduce(values, reduce_op::max); }
    template <reducible T> T sum(T value) const { sum(std::span<T>(&value, 1)); return value; }
    template <reducible T> T min(T value) const { min(std::span<T>(&value, 1)); return value; }
    template <reducible T> T max(T value) const { max(std::span<T>(&value, 1)); return value; }

    // Copies root's `values` into every rank's `values` (same length on every rank).
    template <class T>
        requires std::is_trivially_copyable_v<T>
    void broadcast(std::span<T> values, int root = 0) const {
        count(values.size_bytes());
        backend_->broadcast_bytes(std::as_writable_bytes(values), root);
    }
    template <class T>
        requires std::is_trivially_copyable_v<T>
    void broadcast(T& value, int root = 0) const { broadcast(std::span<T>(&value, 1), root); }
    // Vectors and strings: root's length is broadcast first, then the contents.
    template <class T>
        requires std::is_trivially_copyable_v<T>
    void broadcast(std::vector<T>& values, int root = 0) const {
        std::int64_t n = static_cast<std::int64_t>(values.size());
        broadcast(n, root);
        values.resize(static_cast<std::size_t>(n));
        broadcast(std::span<T>(values), root);
    }
    void broadcast(std::string& text, int root = 0) const {
        std::vector<char> chars(text.begin(), text.end());
        broadcast(chars, root);
        text.assign(chars.begin(), chars.end());
    }

    // Every rank receives the concatenation, in rank order, of all ranks' `local`. When `counts` is
    // given it receives the number of elements contributed by each rank.
    template <class T>
        requires std::is_trivially_copyable_v<T>
    std::vector<T> allgatherv(std::span<const T> local, std::vector<std::int64_t>* counts = nullptr) const {
        std::vector<std::int64_t> byte_counts;
        count(local.size_bytes());
        auto bytes = backend_->allgatherv_bytes(std::as_bytes(local), sizeof(T), byte_counts);
        std::vector<T> out(bytes.size() / sizeof(T));
        if (!bytes.empty()) std::memcpy(out.data(), bytes.data(), bytes.size());
        if (counts) {
            counts->resize(byte_counts.size());
            for (std::size_t r = 0; r < byte_counts.size(); ++r) (*counts)[r] = byte_counts[r] / std::int64_t(sizeof(T));
        }
        return out;
    }
    // Rank `root` receives the concatenation, in rank order, of all ranks' `local` (and, with `counts`,
    // the number of elements from each rank); the other ranks receive an empty vector. Unlike
    // allgatherv, only the root holds the whole.
    template <class T>
        requires std::is_trivially_copyable_v<T>
    std::vector<T> gatherv(std::span<const T> local, std::vector<std::int64_t>* counts = nullptr, int root = 0) const {
        std::vector<std::int64_t> byte_counts;
        count(local.size_bytes());
        std::vector<T> out;  // received in place: the root holds the whole once
        backend_->gatherv_bytes(std::as_bytes(local), sizeof(T), byte_counts, root, [&out](std::size_t bytes) {
            out.resize(bytes / sizeof(T));
            return reinterpret_cast<std::byte*>(out.data());
        });
        if (counts) {
            counts->resize(byte_counts.size());
            for (std::size_t r = 0; r < byte_counts.size(); ++r) (*counts)[r] = byte_counts[r] / std::int64_t(sizeof(T));
        }
        return out;
    }
    // Personalised exchange of doubles with a fixed pattern (e.g. the halo of a sparse product, planned
    // once with exchange()): `send` holds send_counts[r] values for each rank r in rank order, and
    // `receive` receives receive_counts[r] values from each rank r in rank order. The counts must
    // match pairwise (rank a's send_counts[b] = rank b's receive_counts[a]) and the spans their sums.
    void alltoallv(std::span<const double> send, std::span<const int> send_counts, std::span<double> receive,
                   std::span<const int> receive_counts) const {
        count(send.size_bytes());
        backend_->alltoallv(send, send_counts, receive, receive_counts);
    }

    // One value from each rank, indexed by rank.
    template <class T>
        requires std::is_trivially_copyable_v<T>
    std::vector<T> allgather(const T& value) const { return allgatherv(std::span<const T>(&value, 1)); }

    // Personalised exchange: by_destination[d] is sent to rank d (size() lists). Each rank receives
    // the items sent to it, ordered by source rank, each source's in their order. Built as one gatherv
    // per rank in turn as root (size() collectives, each rank receiving in one): every item moves
    // once and a rank holds only what it sends and receives, but each call costs size() latencies.
    // With `counts`, counts[r] receives the number of items that came from rank r. Throws
    // std::invalid_argument on every rank (after one reduction, so that no rank is left waiting in a
    // gather) when any rank passes other than one list per rank: a programming error.
    template <class T>
        requires std::is_trivially_copyable_v<T>
    std::vector<T> exchange(const std::vector<std::vector<T>>& by_destination, std::vector<std::int64_t>* counts = nullptr) const {
        return exchange_lists(by_destination, by_destination.size() == static_cast<std::size_t>(size()) ? 0 : 1, counts);
    }
    // The same with items[i] sent to rank destination[i]; throws std::invalid_argument on every rank
    // when any rank passes a destination outside [0, size) or lengths that differ.
    template <class T>
        requires std::is_trivially_copyable_v<T>
    std::vector<T> exchange(std::span<const T> items, std::span<const int> destination) const {
        std::vector<std::vector<T>> by_destination(static_cast<std::size_t>(size()));
        bool valid = destination.size() == items.size();
        for (std::size_t i = 0; valid && i < items.size(); ++i) {
            valid = destination[i] >= 0 && destination[i] < size();
            if (valid) by_destination[static_cast<std::size_t>(destination[i])].push_back(items[i]);
        }
        return exchange_lists(by_destination, valid ? 0 : 2, nullptr);
    }

private:
    // exchange() once every rank knows that every rank's input is valid (`problem` 0 here; 1: not one
    // list per rank; 2: a bad destination). Every rank runs the same loop over all roots, so the
    // gathers pair up and cannot hang.
    template <class T>
    std::vector<T> exchange_lists(const std::vector<std::vector<T>>& by_destination, std::int64_t problem,
                                  std::vector<std::int64_t>* counts) const {
        problem = max(problem);
        if (problem == 1) throw std::invalid_argument("communicator::exchange: a rank passed other than one list per rank");
        if (problem == 2)
            throw std::invalid_argument("communicator::exchange: a rank passed a destination outside [0, size) or "
                                        "lengths that differ");
        std::vector<T> received;
        for (int root = 0; root < size(); ++root) {
            auto part = gatherv(std::span<const T>(by_destination[static_cast<std::size_t>(root)]), root == rank() ? counts : nullptr, root);
            if (root == rank()) received = std::move(part);
        }
        return received;
    }
    template <reducible T> void reduce(std::span<T> values, reduce_op op) const {
        count(values.size_bytes());
        backend_->allreduce(values, op);
    }
    void count(std::size_t bytes) const {
        ++counts_->calls;
        counts_->bytes += std::int64_t(bytes);
    }

    std::shared_ptr<const communicator_backend> backend_;
    std::shared_ptr<collective_counts> counts_;
};

// A communicator of one rank: every collective is the identity.
communicator make_local_communicator();

} // namespace mic
