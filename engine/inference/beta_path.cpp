#include "engine/inference/beta_path.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
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
        stage_options.previous_gain.reset();
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
                                    const fit_progress_hook& progress, const automatic_resume* resume,
                                    const candidate_hook& on_first_candidate) {
    continued_fit out;
    const bool has_beta = mixing_of(start.variant) == mixing_kind::boltzmann;
    if (!has_beta) {
        model_params at = start;
        at.beta = target_beta;
        out.result = fit_model(comm, data, window, std::move(at), options, callback, progress);
        out.stages.push_back(stage_of(out.result));
        return out;
    }
    const bool resumed = options.previous_objective.has_value();  // from a checkpoint (of any iteration, 0 included)
    if (!continuation.betas.empty()) {
        // An explicit path (the rest of it when resumed: from the checkpoint's β).
        out.result = run_path(comm, data, window, start,
                              path_betas(continuation.betas, resumed ? start.beta : -HUGE_VAL, target_beta), options,
                              callback, progress, out.stages);
        return out;
    }
    if (!continuation.automatic || !(target_beta > 0)) {
        model_params cold = start;
        cold.beta = target_beta;
        out.result = fit_model(comm, data, window, std::move(cold), options, callback, progress);
        out.stages.push_back(stage_of(out.result));
        return out;
    }

    // The automatic scheme: candidate 0 first, candidate 1 when 0 did not converge (or `both`).
    out.mixing_sharpness = mixing_sharpness(comm, data, window, target_beta);  // the same on every rank
    out.path_first = out.mixing_sharpness >= continuation.sharp_mixing;
    const auto is_path = [&](int candidate) { return (candidate == 0) == out.path_first; };
    // Candidate k from `from`; `from_checkpoint`: a resumed stage (options carry its iteration), the
    // path going on from its β.
    const auto run_candidate = [&](int k, const model_params& from, const fit_options& o, bool from_checkpoint) {
        fit_callback tagged;
        if (callback)
            tagged = [&callback, k](const fit_progress& p, const model_params* all) {
                fit_progress q = p;
                q.candidate = k;
                callback(q, all);
            };
        if (is_path(k)) {
            const auto betas = path_betas(automatic_betas(target_beta, continuation.automatic_decades),
                                          from_checkpoint ? from.beta : -HUGE_VAL, target_beta);
            return run_path(comm, data, window, from, betas, o, tagged, progress, out.stages);
        }
        model_params cold = from;
        cold.beta = target_beta;
        fit_result r = fit_model(comm, data, window, std::move(cold), o, tagged, progress);
        out.stages.push_back(stage_of(r));
        return r;
    };
    fit_options fresh = options;
    fresh.start_iteration = 0;
    fresh.previous_objective.reset();
    fresh.previous_gain.reset();

    const int current = resumed && resume ? resume->candidate : 0;
    fit_result first, second;
    if (current == 0) {
        first = run_candidate(0, start, options, resumed);
        // Every rank has the same result (exact sums over ranks), so every rank takes the same branch.
        if (first.converged && !continuation.both) {
            out.result = std::move(first);
            out.kept_automatic_path = is_path(0);
            return out;
        }
        if (resumed && !(resume && resume->fresh_start))
            throw std::logic_error("fit_with_continuation: a resumed automatic fit needs the fresh start for its second candidate");
        if (on_first_candidate) on_first_candidate(first);
        second = run_candidate(1, resumed ? *resume->fresh_start : start, fresh, false);
    } else {
        if (!resume->first) throw std::logic_error("fit_with_continuation: resumed in the second candidate without the first's result");
        first = *resume->first;
        out.stages.push_back(stage_of(first));  // its last stage: the earlier ones ran before the interruption
        second = run_candidate(1, start, options, true);
    }
    out.both_run = true;
    const bool second_wins = second.objective() > first.objective();
    // A first fit read back after a resume has no feature counts or collectives of its own: this run's
    // (the same shard and budget) stand for them.
    if (current == 1 && !second_wins) {
        first.features = second.features;
        first.collectives = second.collectives;
    }
    out.result = std::move(second_wins ? second : first);
    out.kept_automatic_path = is_path(second_wins ? 1 : 0);
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
