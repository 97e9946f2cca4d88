#pragma once

#include <string>

namespace gavel::eval {

/// The SHA-256 of a file's bytes as 64 lowercase hex digits, read in chunks (OpenSSL's EVP
/// interface). Throws gavel::Error naming the file when it cannot be read.
std::string sha256_of_file(const std::string& path);

}  // namespace gavel::eval
