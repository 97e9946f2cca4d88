#pragma once

#include <string>

namespace gavel::report {

/// Text made safe inside HTML and inline SVG, in element content and quoted attributes:
/// & < > " ' become character references.
std::string escape_html(const std::string& text);

}  // namespace gavel::report
