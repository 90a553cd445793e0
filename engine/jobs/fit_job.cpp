#include "engine/jobs/fit_job.hpp"

#include <algorithm>

#include "engine/distributed/checked_section.hpp"

namespace mic {

continued_fit run_fit_job(const communicator& comm, const fit_plan& plan, const shard& data, fit_start start,
                          const fit_callback& callback, const fit_progress_hook& progress,
                          const candidate_hook& on_first_candidate) {
    // A β path starts at its smallest β; a resumed fit where its checkpoint stopped.
    const auto& betas = plan.continuation.betas;
    const double first_beta = betas.empty() ? plan.beta : std::min(plan.beta, *std::min_element(betas.begin(), betas.end()));
    const bool automatic = plan.continuation.automatic && betas.empty();
    model_params at;
    automatic_resume resume;
    run_checked(comm, [&] {
        // The owned users' rows only: a start that holds more (every user) is released here, before
        // the fit (which checks them against the data).
        const auto [first, last] = owned_rows(data);
        const auto fresh = [&] {
            return start.init ? warm_start(rows_of(*start.init, first, last), plan.variant, first_beta, plan.tau)
                              : initial_params(shard_kernels(data, plan.tau, plan.window), plan.variant, first_beta, plan.tau);
        };
        switch (start.kind) {
        case start_kind::cold: at = fresh(); break;
        case start_kind::init: at = warm_start(rows_of(start.params, first, last), plan.variant, first_beta, plan.tau); break;
        case start_kind::resume:
            at = rows_of(start.params, first, last);
            // Where the automatic scheme stood: the second candidate needs the first's result, the first
            // the start a fresh fit takes (for the second after it).
            resume.candidate = plan.resume_candidate;
            if (automatic && plan.resume_candidate == 1) resume.first = std::move(start.first_candidate);
            if (automatic && plan.resume_candidate == 0) resume.fresh_start = fresh();
            break;
        }
        start.params = {};
        start.init.reset();
    });
    return fit_with_continuation(comm, data, plan.window, at, plan.beta, plan.options, plan.continuation, callback, progress,
                                 &resume, on_first_candidate);
}

} // namespace mic
