#pragma once

#include <mutex>

namespace gavel::eval {

/// FFTW's planner is not thread-safe: every gavel function that creates or destroys an FFTW plan
/// holds this one lock while it does (plans may then execute concurrently on separate buffers).
std::mutex& fftw_planner_lock();

}  // namespace gavel::eval
