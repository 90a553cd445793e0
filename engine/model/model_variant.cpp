#include "engine/model/model_variant.hpp"

namespace mic {

std::string_view name_of(model_variant v) {
    switch (v) {
    case model_variant::mic: return "mic";
    case model_variant::linmic: return "linmic";
    case model_variant::cc: return "cc";
    case model_variant::ic: return "ic";
    }
    return "?";
}

std::optional<model_variant> parse_model_variant(std::string_view name) {
    for (auto v: {model_variant::mic, model_variant::linmic, model_variant::cc, model_variant::ic})
        if (name == name_of(v)) return v;
    return std::nullopt;
}

} // namespace mic
