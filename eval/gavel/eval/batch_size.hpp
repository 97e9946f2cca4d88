#pragma once

#include <cstdint>

namespace gavel::eval {

/// The windows one model call takes: `requested` (--batch, at least 1) capped at the `windows`
/// there are, after checking that `copies` × batch × `values_per_window` floats — the largest
/// buffer the call needs, e.g. |G| transformed copies of the inputs — neither overflows nor
/// exceeds this machine's memory. Throws gavel::Error naming --batch otherwise.
std::int64_t windows_per_call(std::int64_t requested, std::int64_t windows, std::int64_t copies,
                              std::int64_t values_per_window);

}  // namespace gavel::eval
