// PCRE2 with JIT instead of POSIX regcomp/regexec: the same answers for the
// extended expressions people write for paths, at a small fraction of the
// cost per record (docs/COMPAT.md lists the syntax differences).
#define PCRE2_CODE_UNIT_WIDTH 8
#include "select/path_matcher.h"

#include <fmt/format.h>
#include <pcre2.h>

namespace bullion::select {

struct PathMatcher::Impl {
  struct Compiled {
    pcre2_code* code = nullptr;
    bool exclude = false;
  };
  std::vector<Compiled> patterns;
  pcre2_match_data* match = nullptr;

  ~Impl() {
    for (Compiled& c : patterns) pcre2_code_free(c.code);
    if (match) pcre2_match_data_free(match);
  }
};

PathMatcher::PathMatcher(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
PathMatcher::PathMatcher(PathMatcher&&) noexcept = default;
PathMatcher& PathMatcher::operator=(PathMatcher&&) noexcept = default;
PathMatcher::~PathMatcher() = default;

Result<PathMatcher> PathMatcher::compile(const std::vector<FilePattern>& patterns) {
  auto impl = std::make_unique<Impl>();
  for (const FilePattern& p : patterns) {
    int code = 0;
    PCRE2_SIZE at = 0;
    pcre2_code* re =
        pcre2_compile(reinterpret_cast<PCRE2_SPTR>(p.regex.data()), p.regex.size(), 0, &code, &at, nullptr);
    if (!re) {
      PCRE2_UCHAR text[128];
      pcre2_get_error_message(code, text, sizeof text);
      return Error{Errc::InvalidArgument, 0, 0,
                   fmt::format("bad file pattern '{}' at {}: {}", p.regex, at, reinterpret_cast<char*>(text))};
    }
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE);  // falls back to the interpreter when JIT is unavailable
    impl->patterns.push_back({re, p.exclude});
  }
  impl->match = pcre2_match_data_create(1, nullptr);
  return PathMatcher(std::move(impl));
}

bool PathMatcher::accepts(std::string_view path) {
  // OpenBSM hands regexec a C string: a path ends at its first NUL.
  if (const size_t nul = path.find('\0'); nul != std::string_view::npos) path = path.substr(0, nul);
  for (const Impl::Compiled& c : impl_->patterns) {
    const int rc =
        pcre2_match(c.code, reinterpret_cast<PCRE2_SPTR>(path.data()), path.size(), 0, 0, impl_->match, nullptr);
    if (rc >= 0) return !c.exclude;
  }
  return false;
}

}  // namespace bullion::select
