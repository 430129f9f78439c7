// `-o file=` patterns, compiled once: the first pattern that matches a path
// decides (selected, or rejected for a `~` pattern); no match rejects.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "bullion/error.h"
#include "bullion/select/selector.h"

namespace bullion::select {

class PathMatcher {
 public:
  static Result<PathMatcher> compile(const std::vector<FilePattern>& patterns);
  PathMatcher(PathMatcher&&) noexcept;
  PathMatcher& operator=(PathMatcher&&) noexcept;
  ~PathMatcher();

  bool accepts(std::string_view path);

 private:
  struct Impl;
  explicit PathMatcher(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bullion::select
