#include "launch/options/loglik_options.hpp"

#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"

namespace mic {

cli::po::options_description describe_options(loglik_options& o) {
    namespace po = cli::po;
    auto d = cli::options_group("Options");
    d.add_options()
        ("data", cli::path_value(o.data)->required(), "dataset file (HDF5, from `mic import` or `mic generate`)")
        ("params", cli::path_value(o.params)->required(), "params file (HDF5, from `mic fit` or `mic generate`)")
        ("from", bound_value(o.from, "from"),
         "start a of the window (a, b], excluded: a number in the dataset's time unit, or an ISO-8601 timestamp "
         "for datasets imported with ISO times (default: the dataset's t_start). At t_start itself the window is "
         "[t_start, b]: nothing precedes the observation window, so its first events are scored too")
        ("to", bound_value(o.to, "to"), "end b of the window, included (default: the dataset's t_end)")
        ("test", po::bool_switch(&o.test),
         "score the held-out events: a = the end of the training window recorded in the params file by `mic fit` "
         "(train_end), so exactly the events the fit did not see")
        ("per-user", cli::path_value(o.per_user),
         "also write every user's contribution L_u and scored events to this file: .csv (user,name,loglik,n_events) "
         "or .h5 (HDF5)")
        ("force", po::bool_switch(&o.force), "overwrite the --per-user file if it exists");
    return d;
}

likelihood_window resolve_window(const loglik_options& options, const dataset_header& header,
                                 const std::string& data_name, std::optional<double> train_end) {
    likelihood_window w = whole_window(header);
    if (options.from) w.from = dataset_time(*options.from, "from", header, data_name);
    if (train_end) w.from = *train_end;
    if (options.to) w.to = dataset_time(*options.to, "to", header, data_name);
    w = dataset_window(header, w.from, w.to);
    const std::string window = readable_window(w, header);
    const std::string observed = readable_window(whole_window(header), header);
    if (!(w.from < w.to)) {
        std::string why;
        if (train_end && *train_end > header.t_end)
            why = "; --test scores the events after the fit's training window, which ends at train_end " +
                  readable_time(*train_end, header) + ", after the end of " + data_name + "'s observation window (t_end " +
                  readable_time(header.t_end, header) + "): these params were fitted on other data (or the dataset is damaged: "
                  "mic info checks it); score a part with --from and --to";
        else if (train_end && *train_end == header.t_end)
            why = "; --test scores the events after the fit's training window, and these params were fitted on the whole of " +
                  data_name + " (train_end " + readable_time(*train_end, header) + " = its t_end): score a part with --from and --to, or fit with "
                  "--train-fraction below 1";
        else if (options.from || options.to)
            why = std::string("; give --from a smaller than --to b (by default the dataset's t_end ") + readable_time(header.t_end, header) + ")";
        else
            why = "; " + data_name + " has an empty observation window " + observed;
        throw input_error("the window " + window + " is empty" + why);
    }
    if (w.from < header.t_start || w.to > header.t_end)
        throw input_error("the window " + window + " reaches outside the observation window " + observed + " of " +
                          data_name + ", where the data say nothing; choose --from and --to inside it");
    return w;
}

} // namespace mic
