#pragma once
// A simulation whose time stops advancing. When the gaps between events fall below the spacing of
// representable times near t (τ far below t·2^−52, or an intensity so high that t + dt == t), every
// new event lands on the same t, the kernel never decays there, and the run would draw events at one
// instant until memory runs out. simulator::run refuses a τ below the times' resolution up front;
// this guard catches what remains: a million events in a row at one time.
#include <cstdint>
#include <string>

#include "engine/support/error.hpp"
#include "engine/support/text_format.hpp"

namespace mic {

class time_stall_guard {
public:
    static constexpr std::int64_t limit = 1000000;

    // Called with the time of the previous event and of the next one (equal: no progress).
    void step(double previous, double next, double tau) {
        if (next != previous) {
            same_ = 0;
            return;
        }
        if (++same_ < limit) return;
        throw input_error("the simulation stopped advancing in time at t = " + shortest(next) + ": " +
                          std::to_string(limit) + " events in a row at that instant, closer together than the spacing of "
                          "representable times there (tau = " + shortest(tau) + "); give tau and the horizon in a time unit "
                          "where tau is not many orders of magnitude below the times, or a shorter horizon");
    }

private:
    std::int64_t same_ = 0;
};

} // namespace mic
