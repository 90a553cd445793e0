#pragma once
// The Σ-step objective over all ranks: "compute locally (sigma_term over the owned users), then
// reduce". Rank 0 drives a (projected) Newton–CG iteration; every rank must call the collective
// members below the same number of times in the same order.
//
// Why this cannot hang or diverge: each member makes the same two collectives on every rank (a
// broadcast of the root's input, then all-reduces of fixed size C² + 1), and the local work between
// them never throws for finite inputs. Because Σ and V are taken from the root, ranks whose copies
// differ in the last bit still evaluate at the root's point. The solver on rank 0 must broadcast its
// own loop decisions (e.g. "stop") so that all ranks leave the loop together.
#include <cstdint>
#include <span>

#include "engine/distributed/communicator.hpp"
#include "engine/likelihood/sigma_term.hpp"

namespace mic {

class distributed_sigma_objective {
public:
    // Keeps a reference to `local`.
    distributed_sigma_objective(communicator comm, sigma_term& local);

    std::int32_t n_cascades() const { return local_->n_cascades(); }
    // Collective: total scored events.
    std::int64_t n_events() const;

    // Collective. S(Σ) over all ranks at the root's Σ (C×C row-major; other ranks' `sigma` is
    // ignored but must have size C²). `gradient` (size C², on every rank) receives ∂S/∂Σ.
    double evaluate(std::span<const double> sigma, std::span<double> gradient);

    // Collective. (∇²S)·V over all ranks at the Σ of the last evaluate, for the root's direction V.
    void hessian_times(std::span<const double> direction, std::span<double> out);

private:
    communicator comm_;
    sigma_term* local_;
};

} // namespace mic
