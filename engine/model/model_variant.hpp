#pragma once
// The four MIC variants (SPEC §2 table): which mixing function f_u(c|t) they use and whether Σ is
// learned or fixed to the identity.
//
//   variant | mixing        | Σ
//   mic     | Boltzmann(β)  | learned
//   linmic  | linear        | learned
//   cc      | Boltzmann(β)  | fixed I
//   ic      | linear        | fixed I
#include <optional>
#include <string_view>

namespace mic {

enum class model_variant { mic, linmic, cc, ic };

// Boltzmann: f(c) = exp(β ν*_c) / Σ_k exp(β ν*_k);  linear: f(c) = ν*_c / Σ_k ν*_k.
enum class mixing_kind { boltzmann, linear };

constexpr mixing_kind mixing_of(model_variant v) {
    return (v == model_variant::mic || v == model_variant::cc) ? mixing_kind::boltzmann : mixing_kind::linear;
}

// True for mic and linmic; cc and ic fix Σ = I.
constexpr bool learns_sigma(model_variant v) { return v == model_variant::mic || v == model_variant::linmic; }

// "mic", "linmic", "cc", "ic".
std::string_view name_of(model_variant v);

// The variant called `name` (exact, lower case), or nothing: the caller words the error, since it
// knows where the name came from (an option, a file attribute).
std::optional<model_variant> parse_model_variant(std::string_view name);

} // namespace mic
