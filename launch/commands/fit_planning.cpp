#include "launch/commands/fit_planning.hpp"

#include <algorithm>
#include <cmath>

#include "engine/data/time_split.hpp"
#include "engine/inference/cost_partition.hpp"
#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"
#include "io/dataset_file.hpp"
#include "io/params_file.hpp"
#include "launch/options/cascade_limit.hpp"
#include "launch/options/time_bound.hpp"

namespace mic::cli {
namespace {

// t_F = the time of the event at quantile F (the ⌈F·N⌉-th event by time).
likelihood_window training_window(const fit_command_options& o, const io::dataset_index& index) {
    likelihood_window w = whole_window(index.header);
    if (!(w.to > w.from))
        throw input_error(o.data.string() + ": its observation window " + readable_window(w, index.header) +
                          " has zero width (every event at one time); nothing can be fitted in it: re-import the log with "
                          "--t-start and --t-end around its events");
    if (o.train_fraction < 1 && !index.time.empty()) {
        w.to = split_time(index.time, o.train_fraction);
        if (!(w.to > w.from))
            throw input_error("--train-fraction " + shortest(o.train_fraction) + ": the training window " + readable_window(w, index.header) +
                              " is empty; use a larger fraction");
    }
    return w;
}

// The warm start must belong to this dataset: same users, cascades and in-neighbour lists.
void check_init(const fit_command_options& o, const io::dataset_index& index) {
    const model_params from = io::read_params(o.init);
    const std::string where = o.init.string() + " (--init)";
    if (from.n_users != index.header.n_users || from.n_cascades != index.header.n_cascades)
        throw input_error(where + ": the parameters are for " + std::to_string(from.n_users) + " users and " +
                          std::to_string(from.n_cascades) + " cascades but " + o.data.string() + " has " +
                          std::to_string(index.header.n_users) + " and " + std::to_string(index.header.n_cascades) +
                          "; start from params fitted on this dataset");
    if (from.in_offsets != index.in_offsets || from.in_source != index.in_source)
        throw input_error(where + ": its influence graph differs from the graph of " + o.data.string() +
                          "; start from params fitted on this dataset");
}

// The checkpoint must come from the same dataset, window, model and options; its iteration and
// objective continue the fit.
void check_checkpoint(const fit_command_options& o, const std::string& checksum, fit_plan& plan) {
    io::params_provenance previous;
    const model_params p = io::read_params(o.checkpoint, &previous);
    const auto refuse = [&](const std::string& why) {
        throw input_error(o.checkpoint.string() + ": " + why + "; resume with the options of the interrupted run, or drop --resume");
    };
    const auto& path = plan.continuation;
    const auto betas = path.betas.empty() && path.automatic ? automatic_betas(o.beta, path.automatic_decades) : path.betas;
    const bool on_path = p.beta == o.beta || std::find(betas.begin(), betas.end(), p.beta) != betas.end();
    if (p.variant != plan.variant || p.tau != o.tau || (mixing_of(plan.variant) == mixing_kind::boltzmann && !on_path))
        refuse("the checkpoint is for --model " + std::string(name_of(p.variant)) + " --beta " + shortest(p.beta) + " --tau " +
               shortest(p.tau));
    if (!previous.iterations || !previous.loglik) refuse("not a checkpoint of mic fit (no iterations/loglik)");
    if (previous.dataset_checksum != checksum) refuse("it was written for another dataset (checksum differs from " + o.data.string() + ")");
    if (previous.train_end != plan.window.to || previous.train_start != plan.window.from)
        refuse("its training window differs from " + to_string(plan.window) + " (another --train-fraction?)");
    if (previous.mu_floor.value_or(0) != o.mu_floor) refuse("it was fitted with another --mu-floor");
    // The β scheme decides which fits run and which result is kept: a checkpoint of one scheme read
    // under another would end elsewhere than either run (checkpoints before this attribute: not checked).
    if (const std::string now = canonical_beta_path(path, o.beta);
        mixing_of(plan.variant) == mixing_kind::boltzmann && !previous.beta_path_option.empty() && previous.beta_path_option != now)
        refuse("it was written under --beta-path " + previous.beta_path_option + ", not " + now);
    plan.resume_candidate = std::int32_t(previous.automatic_candidate.value_or(0));
    if (plan.resume_candidate == 1) {
        if (!previous.first_candidate_objective)
            refuse("it is in the second fit of --beta-path auto/both but does not record the first's objective");
        plan.first_candidate_objective = *previous.first_candidate_objective;
    }
    // Also after iteration 0 (a stage's first checkpoint): the resumed fit goes on from its iteration 1.
    plan.options.start_iteration = int(*previous.iterations);
    plan.options.previous_objective = previous.objective.value_or(*previous.loglik + previous.log_prior.value_or(0));
    plan.options.previous_gain = previous.last_gain;
}

} // namespace

fit_plan plan_fit(const fit_command_options& o, int n_ranks, const std::string& checksum) {
    const io::dataset_index index = io::read_dataset_index(o.data, true);  // validated before any use
    fit_plan plan;
    plan.variant = check_options(o);
    check_dense_sigma_fits(index.header.n_cascades, o.data.string());
    plan.beta = o.beta;
    plan.tau = o.tau;
    plan.options = engine_options(o);
    plan.continuation = parse_beta_path(o.beta_path);
    plan.window = training_window(o, index);
    plan.n_events = std::count_if(index.time.begin(), index.time.end(), [&](double t) { return plan.window.scores(t); });
    if (plan.n_events == 0)
        throw input_error(o.data.string() + ": no event in the training window " + readable_window(plan.window, index.header) +
                          "; there is nothing to fit (check the dataset or --train-fraction)");
    const auto work = user_work(index.user_offsets, index.in_offsets, index.in_source);
    plan.partition = range_partition::balanced(work, n_ranks);
    plan.work_imbalance = work_imbalance(plan.partition, work);
    if (!o.init.empty()) check_init(o, index);
    if (o.resume) check_checkpoint(o, checksum, plan);
    return plan;
}

} // namespace mic::cli
