#include "engine/distributed/communicator.hpp"

#include <algorithm>
#include <cstring>
#include <functional>

namespace mic {
namespace {

// One process: reductions and broadcasts leave the data as it is; a gather returns the local part.
class local_backend final: public communicator_backend {
public:
    int rank() const override { return 0; }
    int size() const override { return 1; }
    void barrier() const override {}
    void allreduce(std::span<double>, reduce_op) const override {}
    void allreduce(std::span<std::int64_t>, reduce_op) const override {}
    void broadcast_bytes(std::span<std::byte>, int) const override {}
    std::vector<std::byte> allgatherv_bytes(std::span<const std::byte> local, std::size_t,
                                            std::vector<std::int64_t>& counts) const override {
        counts.assign(1, static_cast<std::int64_t>(local.size()));
        return {local.begin(), local.end()};
    }
    void gatherv_bytes(std::span<const std::byte> local, std::size_t, std::vector<std::int64_t>& counts, int,
                       const std::function<std::byte*(std::size_t)>& destination) const override {
        counts.assign(1, static_cast<std::int64_t>(local.size()));
        std::byte* out = destination(local.size());
        if (!local.empty()) std::memcpy(out, local.data(), local.size());
    }
    void alltoallv(std::span<const double> send, std::span<const int>, std::span<double> receive,
                   std::span<const int>) const override {
        std::copy(send.begin(), send.end(), receive.begin());
    }
    std::shared_ptr<const communicator_backend> split(int, int) const override { return std::make_shared<local_backend>(); }
};

} // namespace

communicator make_local_communicator() { return communicator(std::make_shared<local_backend>()); }

} // namespace mic
