// auditon's subcommands reach their target here: the bsmauditd control
// socket on Linux (linux.cpp), auditon(2) on FreeBSD and macOS (bsd.cpp).
#pragma once

#include <string>
#include <vector>

#include "bullion/error.h"

namespace auditon {

inline constexpr int kExitOk = 0, kExitError = 1;

// The answer to print for get*, empty for set*/unset*.
bullion::Result<std::string> request(const std::string& root, const std::string& subcommand,
                                     const std::vector<std::string>& args);

}  // namespace auditon
