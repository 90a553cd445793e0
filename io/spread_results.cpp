#include "io/spread_results.hpp"

#include <cstdio>
#include <fstream>
#include <limits>

#include "engine/support/error.hpp"
#include "io/csv_field.hpp"
#include "io/hdf5_file.hpp"

namespace mic::io {
namespace {

std::vector<double> error_matrix(const std::vector<forecast_errors>& errors) {
    std::vector<double> m;
    for (const auto& e: errors) m.insert(m.end(), {e.mae, e.rmse, e.mase});
    return m;
}

double mase_or_nan(const average_errors& a) {
    return a.n_users_mase > 0 ? a.mase : std::numeric_limits<double>::quiet_NaN();
}

std::string number(double x) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", x);
    return text;
}

} // namespace

void write_spread_results(const std::filesystem::path& path, const std::string& display_name, const spread_results& r) {
    auto file = hdf5_file::create(path, display_name);
    const auto n_periods = static_cast<std::int64_t>(r.periods), n_training = static_cast<std::int64_t>(r.training_periods);
    std::vector<double> metrics(12, 0.0);
    std::vector<std::int64_t> n_users(4, 0), n_mase(4, 0);
    for (std::size_t s = 0; s < r.sets.size() && s < 2; ++s) {
        const auto& set = r.sets[s];
        const std::string g = "/" + set.name + "/";
        const auto n = static_cast<std::int64_t>(set.users.size());
        file.write_array<std::int32_t>(g + "users", set.users);
        file.write_matrix<double>(g + "observed", set.observed, n, n_periods);
        file.write_matrix<double>(g + "predicted_ctmp", set.predicted_ctmp, n, n_periods);
        file.write_matrix<double>(g + "predicted_ic", set.predicted_ic, n, n_periods);
        file.write_matrix<double>(g + "training_observed", set.training_observed, n, n_training);
        file.write_matrix<double>(g + "errors_ctmp", error_matrix(set.errors_ctmp), n, 3);
        file.write_matrix<double>(g + "errors_ic", error_matrix(set.errors_ic), n, 3);
        const average_errors* avg[2] = {&set.average_ctmp, &set.average_ic};
        for (std::size_t m = 0; m < 2; ++m) {
            metrics[m * 6 + s * 3 + 0] = avg[m]->mae;
            metrics[m * 6 + s * 3 + 1] = avg[m]->rmse;
            metrics[m * 6 + s * 3 + 2] = mase_or_nan(*avg[m]);
            n_users[m * 2 + s] = avg[m]->n_users;
            n_mase[m * 2 + s] = avg[m]->n_users_mase;
        }
    }
    file.write_matrix<double>("/summary/metrics", metrics, 2, 6);
    file.write_matrix<std::int64_t>("/summary/n_users", n_users, 2, 2);
    file.write_matrix<std::int64_t>("/summary/n_users_mase", n_mase, 2, 2);
    file.write_int_attribute("mic_spread_format", 1);
    file.write_string_attribute("data", r.data);
    file.write_double_attribute("train_until", r.train_until);
    file.write_double_attribute("window", r.window);
    file.write_int_attribute("periods", r.periods);
    file.write_double_attribute("training_start", r.training_start);
    file.write_int_attribute("training_periods", r.training_periods);
    file.write_string_attribute("method", r.method);
    file.write_double_attribute("tolerance", r.tolerance);
    file.write_int_attribute("seed", static_cast<std::int64_t>(r.seed));
    file.write_int_attribute("extrapolate_posts", r.extrapolate_posts ? 1 : 0);
    file.write_int_attribute("follow_graph", r.follow_graph ? 1 : 0);
    file.write_string_attribute("time_unit", r.time_unit);
    file.close();
}

void write_spread_truth_csv(const std::filesystem::path& path, const std::string& display_name, const spread_results& r,
                            const std::vector<std::string>& user_names) {
    std::ofstream out(path, std::ios::trunc);
    if (!out) throw input_error(display_name + ": cannot open for writing; check the directory's permissions");
    out << "set,user,split,period,observed,predicted_ctmp,predicted_ic,name\n";
    for (const auto& set: r.sets) {
        for (std::size_t a = 0; a < set.users.size(); ++a) {
            const std::string id = std::to_string(set.users[a]);
            const std::string head = set.name + "," + id + ",";
            const std::string name = csv_field(user_names.empty() ? id : user_names.at(std::size_t(set.users[a])));
            for (std::int32_t d = 0; d < r.training_periods; ++d)
                out << head << "train," << d << ","
                    << number(set.training_observed[a * static_cast<std::size_t>(r.training_periods) + static_cast<std::size_t>(d)])
                    << ",,," << name << "\n";
            for (std::int32_t d = 0; d < r.periods; ++d) {
                const std::size_t k = a * static_cast<std::size_t>(r.periods) + static_cast<std::size_t>(d);
                out << head << "test," << d << "," << number(set.observed[k]) << "," << number(set.predicted_ctmp[k]) << ","
                    << number(set.predicted_ic[k]) << "," << name << "\n";
            }
        }
    }
    out.close();
    if (!out) throw input_error(display_name + ": write failed (disk full?); free space and run again");
}

std::vector<double> read_spread_metrics(const std::filesystem::path& path) {
    const auto file = hdf5_file::open_read(path);
    return file.open_matrix("/summary/metrics").read_all<double>();
}

} // namespace mic::io
