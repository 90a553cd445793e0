#include "tests/engine/ctmp/ctmp_fixtures.hpp"

#include <unsupported/Eigen/MatrixFunctions>

#include <algorithm>
#include <cmath>

namespace mic::testing {

ctmp_model chain_from_dense(const Eigen::MatrixXd& Q) {
    const auto n = static_cast<std::int32_t>(Q.rows());
    std::vector<double> rate(static_cast<std::size_t>(n));
    std::vector<std::int64_t> offsets{0};
    std::vector<std::int32_t> target;
    std::vector<double> probability;
    for (std::int32_t i = 0; i < n; ++i) {
        rate[static_cast<std::size_t>(i)] = -Q(i, i);
        for (std::int32_t j = 0; j < n; ++j)
            if (j != i && Q(i, j) > 0.0) target.push_back(j), probability.push_back(Q(i, j) / -Q(i, i));
        offsets.push_back(static_cast<std::int64_t>(target.size()));
    }
    return make_ctmp(rate, offsets, target, probability);
}

Eigen::MatrixXd dense_generator(const ctmp_model& model) { return Eigen::MatrixXd(model.generator); }

Eigen::MatrixXd small_generator() {
    Eigen::MatrixXd Q = Eigen::MatrixXd::Zero(5, 5);
    Q(0, 1) = 1.2, Q(0, 2) = 0.3;
    Q(1, 0) = 0.5, Q(1, 3) = 1.5, Q(1, 4) = 1.0;
    Q(2, 4) = 0.5;
    Q(3, 0) = 0.4, Q(3, 2) = 0.6;
    for (int i = 0; i < 5; ++i) Q(i, i) = -Q.row(i).sum();
    return Q;
}

Eigen::MatrixXd stiff_generator() {
    Eigen::MatrixXd Q = Eigen::MatrixXd::Zero(4, 4);
    Q(0, 1) = 0.01;
    Q(1, 2) = 400.0, Q(1, 0) = 100.0;
    Q(2, 3) = 0.7, Q(2, 1) = 0.3;
    Q(3, 0) = 2.0;
    for (int i = 0; i < 4; ++i) Q(i, i) = -Q.row(i).sum();
    return Q;
}

Eigen::MatrixXd dense_expm(const Eigen::MatrixXd& Q, double t) { return (Q * t).exp(); }

double dense_spreading_size(const Eigen::MatrixXd& Q, std::int32_t i, double t) {
    if (t <= 0.0) return 0.0;
    const Eigen::VectorXd q = -Q.diagonal();
    const double panel_max = 0.01 / std::max(q.maxCoeff(), 1.0);
    const auto panels = static_cast<int>(std::ceil(t / std::max(panel_max, t / 4000.0)));
    const double h = t / panels;
    // 5-point Gauss–Legendre nodes and weights on [-1, 1].
    const double x[5] = {0.0, -0.5384693101056831, 0.5384693101056831, -0.9061798459386640, 0.9061798459386640};
    const double w[5] = {0.5688888888888889, 0.4786286704993665, 0.4786286704993665, 0.2369268850561891, 0.2369268850561891};
    const Eigen::MatrixXd step = dense_expm(Q, h);
    std::vector<Eigen::VectorXd> node;  // e^{Q·τ_k} q at the nodes τ_k of one panel
    for (int k = 0; k < 5; ++k) node.push_back(dense_expm(Q, 0.5 * h * (1.0 + x[k])) * q);
    Eigen::RowVectorXd row = Eigen::RowVectorXd::Unit(Q.rows(), i);  // e_iᵀ e^{Q·(panel start)}
    double total = 0.0;
    for (int p = 0; p < panels; ++p) {
        for (int k = 0; k < 5; ++k) total += 0.5 * h * w[k] * row.dot(node[static_cast<std::size_t>(k)]);
        row = row * step;
    }
    return total;
}

dataset dataset_from_posts(std::int32_t n_users, std::int32_t n_topics,
                           std::vector<std::tuple<std::int32_t, std::int32_t, double>> posts,
                           const std::vector<std::pair<std::int32_t, std::int32_t>>& edges) {
    dataset d;
    d.header = {n_users, n_topics, 0.0, 0.0, "day"};
    std::sort(posts.begin(), posts.end(), [](const auto& a, const auto& b) {
        return std::tie(std::get<0>(a), std::get<2>(a), std::get<1>(a)) < std::tie(std::get<0>(b), std::get<2>(b), std::get<1>(b));
    });
    d.events.user_offsets.assign(1, 0);
    std::size_t p = 0;
    for (std::int32_t u = 0; u < n_users; ++u) {
        for (; p < posts.size() && std::get<0>(posts[p]) == u; ++p) {
            d.events.cascade.push_back(std::get<1>(posts[p]));
            d.events.time.push_back(std::get<2>(posts[p]));
            d.header.t_end = std::max(d.header.t_end, std::get<2>(posts[p]));
        }
        d.events.user_offsets.push_back(d.events.n_events());
    }
    d.graph.in_offsets.assign(1, 0);
    for (std::int32_t u = 0; u < n_users; ++u) {
        std::vector<std::int32_t> in;
        for (auto [v, w]: edges)
            if (w == u) in.push_back(v);
        std::sort(in.begin(), in.end());
        d.graph.in_source.insert(d.graph.in_source.end(), in.begin(), in.end());
        d.graph.in_offsets.push_back(d.graph.n_edges());
    }
    return d;
}

} // namespace mic::testing
