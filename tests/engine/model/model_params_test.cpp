// Model variants and parameter validation: bad parameters are refused with one line that names the
// place and the fix.
#include <gtest/gtest.h>

#include <cmath>
#include <stdexcept>
#include <string>

#include "engine/model/model_params.hpp"
#include "engine/support/error.hpp"
#include "tests/support/random_dataset.hpp"

namespace mic {
namespace {

model_params three_user_params(model_variant variant) {
    csr_graph g;
    g.in_offsets = {0, 1, 3, 3};
    g.in_source = {1, 0, 2};
    return make_uniform_params(variant, 2.0, 1.5, 2, g, 0.1, 0.2);
}

std::string message_of(const model_params& p) {
    try {
        validate(p, "p.h5");
    } catch (const input_error& e) {
        return e.what();
    }
    return "";
}

TEST(ModelVariant, NamesRoundTripAndUnknownNamesAreRefused) {
    for (auto v: {model_variant::mic, model_variant::linmic, model_variant::cc, model_variant::ic})
        EXPECT_EQ(parse_model_variant(name_of(v)), v);
    EXPECT_FALSE(parse_model_variant("MIC").has_value());
    EXPECT_FALSE(parse_model_variant("hawkes").has_value());
    EXPECT_EQ(mixing_of(model_variant::cc), mixing_kind::boltzmann);
    EXPECT_EQ(mixing_of(model_variant::linmic), mixing_kind::linear);
    EXPECT_TRUE(learns_sigma(model_variant::linmic));
    EXPECT_FALSE(learns_sigma(model_variant::ic));
}

TEST(ModelParams, UniformParamsAreValidAndThetaRoundTrips) {
    auto p = three_user_params(model_variant::mic);
    EXPECT_NO_THROW(validate(p, "p.h5"));
    const std::vector<double> theta{0.3, 0.4, 0.5, 0.6};  // μ_1 (C = 2), w_01, w_21
    set_user_theta(p, 1, theta);
    EXPECT_EQ(user_theta(p, 1), theta);
    EXPECT_EQ(p.mu_of(1)[1], 0.4);
    EXPECT_EQ(p.weights_of(1)[1], 0.6);
    EXPECT_EQ(user_theta(p, 2), (std::vector<double>{0.1, 0.1}));  // no in-neighbours
}

TEST(ModelParams, RowsOfARangeOfUsersReadAndWriteTheSameValuesAsTheWhole) {
    auto whole = three_user_params(model_variant::mic);
    set_user_theta(whole, 1, std::vector<double>{0.3, 0.4, 0.5, 0.6});
    set_user_theta(whole, 2, std::vector<double>{0.7, 0.8});
    model_params part = rows_of(whole, 1, 3);
    EXPECT_FALSE(part.holds_every_row());
    EXPECT_EQ(part.first_row, 1);
    EXPECT_EQ(part.rows(), 2);
    EXPECT_FALSE(part.holds_row(0));
    EXPECT_TRUE(part.holds_row(2));
    EXPECT_EQ(part.mu.size(), 4u);                                // 2 rows × C = 2
    EXPECT_EQ(part.in_offsets, (std::vector<std::int64_t>{0, 2, 2}));  // user 1's two edges, user 2's none
    for (std::int32_t u : {1, 2}) EXPECT_EQ(user_theta(part, u), user_theta(whole, u)) << "user " << u;
    EXPECT_EQ(part.in_neighbours(1)[1], 2);
    EXPECT_NO_THROW(validate(part, "part"));
    set_user_theta(part, 1, std::vector<double>{1, 2, 3, 4});
    EXPECT_EQ(part.weights_of(1)[1], 4);
    EXPECT_EQ(whole.weights_of(1)[1], 0.6);  // a copy
    EXPECT_EQ(rows_of(part, 2, 3).mu, (std::vector<double>{0.7, 0.8}));
    EXPECT_EQ(rows_of(part, 2, 2).rows(), 0);
    EXPECT_EQ(rows_of(part, 0, 0).rows(), 0);  // a rank that owns no user holds no row of any params
    EXPECT_THROW(rows_of(part, 0, 2), std::invalid_argument);  // row 0 is not held
    part.first_row = 2;                                          // rows 2..3 of 3 users: out of range
    EXPECT_NE(message_of(part).find("/W/in_offsets"), std::string::npos) << message_of(part);
}

TEST(ModelParams, SigmaRowsThatDoNotSumToOneAreRefusedNamingTheRow) {
    auto p = three_user_params(model_variant::mic);
    p.sigma = {0.5, 0.5, 0.2, 0.9};
    const auto m = message_of(p);
    EXPECT_NE(m.find("p.h5: /sigma row 1 sums to 1.1"), std::string::npos) << m;
}

TEST(ModelParams, CcAndIcRequireTheIdentitySigma) {
    auto p = three_user_params(model_variant::cc);
    p.sigma = {0.5, 0.5, 0.5, 0.5};
    EXPECT_NE(message_of(p).find("fixes Σ = I"), std::string::npos);
    p.variant = model_variant::mic;
    EXPECT_EQ(message_of(p), "");
}

TEST(ModelParams, NegativeOrNonFiniteValuesAndBadLayoutsAreRefused) {
    auto p = three_user_params(model_variant::ic);
    p.weight[2] = -0.1;
    EXPECT_NE(message_of(p).find("/W/weight[2]"), std::string::npos);
    p = three_user_params(model_variant::ic);
    p.mu[0] = std::nan("");
    EXPECT_NE(message_of(p).find("/mu[0]"), std::string::npos);
    p = three_user_params(model_variant::ic);
    p.tau = 0;
    EXPECT_NE(message_of(p).find("tau"), std::string::npos);
    p = three_user_params(model_variant::ic);
    p.in_source = {1, 2, 0};  // user 1's list is not ascending
    EXPECT_NE(message_of(p).find("strictly ascending"), std::string::npos);
    p = three_user_params(model_variant::ic);
    p.weight.pop_back();
    EXPECT_NE(message_of(p).find("must agree"), std::string::npos);
}

TEST(ModelParams, ParamsMustHaveTheGraphOfTheShard) {
    auto data = testing::make_random_dataset({.n_users = 3, .n_cascades = 2, .edge_probability = 1.0}, 1);
    auto p = make_uniform_params(model_variant::mic, 1, 1, 2, data.graph, 0.1, 0.1);
    const std::vector<std::int32_t> owned{0, 1, 2};
    const auto s = make_shard(data, owned);
    EXPECT_NO_THROW(check_params_match(p, s, "p.h5"));
    p.in_source[0] = 2;  // user 0: {1, 2} -> {2, 2} breaks the match
    try {
        check_params_match(p, s, "p.h5");
        FAIL();
    } catch (const input_error& e) {
        EXPECT_NE(std::string(e.what()).find("in-neighbours of user 0"), std::string::npos) << e.what();
    }
}

} // namespace
} // namespace mic
