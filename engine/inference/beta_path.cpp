#include "engine/inference/beta_path.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace mic {
namespace {

path_stage stage_of(const fit_result& r) {
    return {r.params.beta, r.loglik, r.objective(), r.iterations, r.converged};
}

// Fits at every β of `betas` in turn, each from the last; the first from `start` with `options`, the
// others as fresh fits from the previous result.
fit_result run_path(const communicator& comm, const shard& data, likelihood_window window, const model_params& start,
                    const std::vector<double>& betas, const fit_options& options, const fit_callback& callback,
                    const fit_progress_hook& progress, std::vector<path_stage>& stages) {
    model_params at = start;
    fit_options stage_options = options;
    fit_result r;
    for (std::size_t i = 0; i < betas.size(); ++i) {
        at.beta = betas[i];
        r = fit_model(comm, data, window, std::move(at), stage_options, callback, progress);
        stages.push_back(stage_of(r));
        // The next stage starts from this one's parameters (moved: on rank 0 they are every user's);
        // the last stage's stay in the result.
        if (i + 1 < betas.size()) at = std::move(r.params);
        stage_options.start_iteration = 0;
        stage_options.previous_objective.reset();
    }
    return r;
}

} // namespace

std::vector<double> automatic_betas(double target, int decades) {
    std::vector<double> betas;
    for (int k = decades; k >= 1; --k) betas.push_back(target * std::pow(10.0, -k));
    return betas;
}

std::vector<double> path_betas(std::vector<double> betas, double start_beta, double target) {
    std::erase_if(betas, [&](double b) { return !(b >= start_beta && b < target); });
    std::sort(betas.begin(), betas.end());
    betas.erase(std::unique(betas.begin(), betas.end()), betas.end());
    betas.push_back(target);
    return betas;
}

continued_fit fit_with_continuation(const communicator& comm, const shard& data, likelihood_window window,
                                    const model_params& start, double target_beta, const fit_options& options,
                                    const continuation_options& continuation, const fit_callback& callback,
                                    const fit_progress_hook& progress) {
    continued_fit out;
    const bool has_beta = mixing_of(start.variant) == mixing_kind::boltzmann;
    if (!has_beta) {
        model_params at = start;
        at.beta = target_beta;
        out.result = fit_model(comm, data, window, std::move(at), options, callback, progress);
        out.stages.push_back(stage_of(out.result));
        return out;
    }
    if (options.start_iteration > 0) {
        // A resumed stage, then the rest of its path (the automatic one when no explicit path is given).
        const auto betas = continuation.betas.empty() && continuation.automatic
                               ? automatic_betas(target_beta, continuation.automatic_decades)
                               : continuation.betas;
        out.result = run_path(comm, data, window, start, path_betas(betas, start.beta, target_beta), options, callback,
                              progress, out.stages);
        return out;
    }
    if (!continuation.betas.empty()) {
        out.result = run_path(comm, data, window, start, path_betas(continuation.betas, -HUGE_VAL, target_beta), options,
                              callback, progress, out.stages);
        return out;
    }
    const auto cold_start = [&] {
        model_params cold = start;
        cold.beta = target_beta;
        fit_result r = fit_model(comm, data, window, std::move(cold), options, callback, progress);
        out.stages.push_back(stage_of(r));
        return r;
    };
    const auto automatic_path = [&] {
        std::vector<double> betas = automatic_betas(target_beta, continuation.automatic_decades);
        betas.push_back(target_beta);
        return run_path(comm, data, window, start, betas, options, callback, progress, out.stages);
    };
    if (!continuation.automatic || !(target_beta > 0)) {
        out.result = cold_start();
        return out;
    }
    out.mixing_sharpness = mixing_sharpness(comm, data, window, target_beta);  // the same on every rank
    out.path_first = out.mixing_sharpness >= continuation.sharp_mixing;
    out.result = out.path_first ? automatic_path() : cold_start();
    out.kept_automatic_path = out.path_first;
    // Every rank has the same result (ordered sums), so every rank takes the same branch.
    if (out.result.converged && !continuation.both) return out;
    out.both_run = true;
    fit_result other = out.path_first ? cold_start() : automatic_path();
    if (other.objective() > out.result.objective()) {
        out.result = std::move(other);
        out.kept_automatic_path = !out.path_first;
    }
    return out;
}

double mixing_sharpness(const communicator& comm, const shard& data, likelihood_window window, double beta) {
    std::int64_t scored = 0;  // the owned users' events in the window
    for (const std::int32_t u : data.owned)
        for (const double t : data.events.times(data.events.local_index(u))) scored += window.scores(t);
    const double events = double(comm.sum(scored));
    const double users = std::max(1.0, double(data.header.n_users));
    return beta * events / (users * window.length());
}

} // namespace mic
