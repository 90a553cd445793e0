#include "engine/jobs/fit_job.hpp"

#include <algorithm>

#include "engine/distributed/checked_section.hpp"

namespace mic {

continued_fit run_fit_job(const communicator& comm, const fit_plan& plan, const shard& data, fit_start start,
                          const fit_callback& callback, const fit_progress_hook& progress) {
    // A β path starts at its smallest β; a resumed fit where its checkpoint stopped.
    const auto& betas = plan.continuation.betas;
    const double first_beta = betas.empty() ? plan.beta : std::min(plan.beta, *std::min_element(betas.begin(), betas.end()));
    model_params at;
    run_checked(comm, [&] {
        // The owned users' rows only: a start that holds more (every user) is released here, before
        // the fit (which checks them against the data).
        const auto [first, last] = owned_rows(data);
        switch (start.kind) {
        case start_kind::cold: at = initial_params(shard_kernels(data, plan.tau, plan.window), plan.variant, first_beta, plan.tau); break;
        case start_kind::init: at = warm_start(rows_of(start.params, first, last), plan.variant, first_beta, plan.tau); break;
        case start_kind::resume: at = rows_of(start.params, first, last); break;
        }
        start.params = {};
    });
    return fit_with_continuation(comm, data, plan.window, at, plan.beta, plan.options, plan.continuation, callback, progress);
}

} // namespace mic
