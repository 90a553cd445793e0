#include "engine/jobs/loglik_job.hpp"

namespace mic {

loglik_report run_loglik_job(const communicator& comm, const loglik_plan& plan, const shard& data, const model_params& params,
                             std::string_view params_name, bool per_user) {
    loglik_report r;
    r.totals = evaluate_loglik(comm, data, params, plan.window, params_name);
    if (per_user) {
        r.user_loglik = comm.allgatherv(std::span<const double>(r.totals.per_user));
        r.user_events = comm.allgatherv(std::span<const std::int64_t>(r.totals.per_user_events));
    }
    return r;
}

} // namespace mic
