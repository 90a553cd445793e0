#include "io/cv_state.hpp"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "engine/support/error.hpp"
#include "io/hdf5_file.hpp"

namespace mic::io {
namespace {

nlohmann::json key_json(const cv_state_key& k) {
    return {{"data_checksum", k.data_checksum}, {"cuts", k.cuts}, {"t_start", k.t_start}, {"options", k.options}};
}

std::string number(double x) {
    char text[40];
    std::snprintf(text, sizeof text, "%.17g", x);
    return text;
}

} // namespace

std::vector<cv_row> open_cv_state(const std::filesystem::path& dir, const cv_state_key& key, bool reset) {
    namespace fs = std::filesystem;
    const auto state = dir / "state.json", rows = dir / "rows.jsonl";
    if (fs::exists(dir) && !fs::is_directory(dir))
        throw input_error(dir.string() + ": exists and is not a directory; choose another --state");
    nlohmann::json saved;
    if (fs::exists(state)) {
        try {
            std::ifstream(state) >> saved;
        } catch (const std::exception& e) {
            if (!reset) throw input_error(state.string() + ": not a state of mic cv (" + e.what() + "); add --force to start over");
        }
        if (saved != key_json(key) && !reset)
            throw input_error(dir.string() + ": holds a cross-validation of another dataset, split or options; add --force to "
                              "start over, or choose another --state");
    }
    if (fs::exists(state) && saved == key_json(key)) return read_cv_rows(dir);
    if (reset && fs::exists(dir)) {  // --force on a first run: nothing to empty
        fs::remove(rows);
        for (const auto& entry : fs::directory_iterator(dir))
            if (entry.path().filename().string().rfind("point-", 0) == 0) fs::remove(entry.path());
    }
    fs::create_directories(dir);
    std::ofstream(state) << key_json(key).dump() << "\n";
    std::ofstream(rows, std::ios::trunc);
    return {};
}

std::vector<cv_row> read_cv_rows(const std::filesystem::path& dir) {
    std::vector<cv_row> out;
    std::ifstream in(dir / "rows.jsonl");
    for (std::string line; std::getline(in, line);) {
        try {
            const auto j = nlohmann::json::parse(line);
            cv_row r;
            r.variant = j.at("variant"), r.fold = j.at("fold"), r.beta = j.at("beta"), r.tau = j.at("tau");
            r.validation_loglik = j.at("validation_loglik").is_null() ? -HUGE_VAL : double(j.at("validation_loglik"));
            r.validation_events = j.at("validation_events"), r.converged = j.at("converged");
            r.iterations = j.at("iterations"), r.seconds = j.at("seconds");
            if (std::filesystem::exists(cv_point_path(dir, r))) out.push_back(r);  // a row without its parameters is refitted
        } catch (const std::exception&) {
            // A line cut short by an interruption: its point is fitted again.
        }
    }
    return out;
}

std::filesystem::path cv_point_path(const std::filesystem::path& dir, const cv_row& row) {
    return dir / ("point-" + std::to_string(row.variant) + "-tau" + number(row.tau) + "-beta" + number(row.beta) + "-fold" +
                  std::to_string(row.fold) + ".h5");
}

void append_cv_row(const std::filesystem::path& dir, const cv_row& row) {
    const nlohmann::json j{{"variant", row.variant}, {"fold", row.fold}, {"beta", row.beta}, {"tau", row.tau},
                           {"validation_loglik", row.validation_loglik}, {"validation_events", row.validation_events},
                           {"converged", row.converged}, {"iterations", row.iterations}, {"seconds", row.seconds}};
    const std::string line = j.dump() + "\n";
    std::FILE* f = std::fopen((dir / "rows.jsonl").c_str(), "a");
    if (!f) throw input_error((dir / "rows.jsonl").string() + ": cannot append; check the --state directory");
    std::fwrite(line.data(), 1, line.size(), f);  // one write of one line: appends from several groups do not mix
    std::fclose(f);
}

void write_cv_table(hdf5_file& file, const cv_result& result) {
    std::vector<double> rows, scores;
    for (const auto& r : result.rows)
        rows.insert(rows.end(), {double(r.variant), double(r.fold), r.beta, r.tau, r.validation_loglik,
                                 double(r.validation_events), double(r.converged), double(r.iterations), r.seconds});
    for (const auto& s : result.scores)
        scores.insert(scores.end(), {double(int(s.variant)), s.beta, s.tau, s.validation_loglik, double(s.validation_events),
                                     double(s.folds_converged)});
    file.write_matrix<double>("/cv/rows", rows, std::int64_t(result.rows.size()), 9);
    file.write_matrix<double>("/cv/scores", scores, std::int64_t(result.scores.size()), 6);
}

} // namespace mic::io
