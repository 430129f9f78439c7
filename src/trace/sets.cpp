// Set storage and membership tests. Sizes are unbounded: the original kept
// sets in fixed arrays and overflowed past ~128 entries.
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <algorithm>

#include "bullion/trace/policy.h"

namespace bullion::trace {

struct SetData::Pattern {
  pcre2_code* code = nullptr;
  pcre2_match_data* match = nullptr;
  ~Pattern() {
    if (match) pcre2_match_data_free(match);
    if (code) pcre2_code_free(code);
  }
};

SetData::SetData(SetType type) : type_(type) {}
SetData::~SetData() = default;

const char* set_type_name(SetType type) {
  switch (type) {
    case SetType::Auid:
      return "auid";
    case SetType::Euid:
      return "euid";
    case SetType::Ruid:
      return "ruid";
    case SetType::Egid:
      return "egid";
    case SetType::Rgid:
      return "rgid";
    case SetType::AuditEvent:
      return "auditevent";
    case SetType::AuditClass:
      return "auditclass";
    case SetType::Path:
      return "path";
    case SetType::Pcre:
      return "pcre";
    case SetType::LogChannel:
      return "logchannel";
  }
  return "?";
}

const char* key_field_name(KeyField field) {
  switch (field) {
    case KeyField::Subject:
      return "subject";
    case KeyField::Auid:
      return "auid";
    case KeyField::Euid:
      return "euid";
    case KeyField::Ruid:
      return "ruid";
    case KeyField::Egid:
      return "egid";
    case KeyField::Rgid:
      return "rgid";
    case KeyField::Pid:
      return "pid";
    case KeyField::Session:
      return "session";
    case KeyField::SourceAddress:
      return "source-address";
    case KeyField::Terminal:
      return "terminal";
    case KeyField::Text:
      return "text";
    case KeyField::Object:
      return "object";
    case KeyField::Zone:
      return "zone";
  }
  return "?";
}

bool is_subject_type(SetType type) {
  return type == SetType::Auid || type == SetType::Euid || type == SetType::Ruid || type == SetType::Egid ||
         type == SetType::Rgid;
}

void SetData::add_number(uint32_t value) {
  ++count_;
  if (type_ == SetType::AuditClass)
    class_mask_ |= value;
  else
    numbers_.push_back(value);
}

void SetData::add_path(std::string_view prefix) {
  ++count_;
  prefixes_.emplace_back(prefix);
}

struct RegexLimits::Impl {
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* jit_stack = nullptr;
  ~Impl() {
    if (jit_stack) pcre2_jit_stack_free(jit_stack);
    if (context) pcre2_match_context_free(context);
  }
};

// The JIT's default 32 KB stack runs out on long paths before the match
// limit does; 1 MB lets the limit be what stops a pattern.
RegexLimits::RegexLimits(uint32_t match_limit) : impl_(std::make_unique<Impl>()), match_limit_(match_limit) {
  impl_->context = pcre2_match_context_create(nullptr);
  pcre2_set_match_limit(impl_->context, match_limit);
  pcre2_set_depth_limit(impl_->context, match_limit);
  impl_->jit_stack = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, nullptr);
  if (impl_->jit_stack) pcre2_jit_stack_assign(impl_->context, nullptr, impl_->jit_stack);
}

RegexLimits::~RegexLimits() = default;

void* RegexLimits::context() const { return impl_->context; }

namespace {

bool is_unbounded_quantifier(std::string_view p, size_t i) {
  if (i >= p.size()) return false;
  if (p[i] == '*' || p[i] == '+') return true;
  if (p[i] != '{') return false;
  // {n,} and {n,m} with m > 1 repeat; {n} and {0,1} hardly do.
  size_t close = p.find('}', i);
  if (close == std::string_view::npos) return false;
  std::string_view body = p.substr(i + 1, close - i - 1);
  size_t comma = body.find(',');
  if (comma == std::string_view::npos) return false;
  std::string_view upper = body.substr(comma + 1);
  return upper.empty() || upper.size() > 1 || upper[0] > '1';
}

// Index just past a character class that opens at p[i] == '['.
size_t skip_class(std::string_view p, size_t i) {
  ++i;
  if (i < p.size() && p[i] == '^') ++i;
  if (i < p.size() && p[i] == ']') ++i;  // a leading ] is a member
  while (i < p.size() && p[i] != ']') i += p[i] == '\\' ? 2 : 1;
  return i + 1;
}

}  // namespace

// A scan, not a parser: groups on a stack, each remembering whether an
// unbounded quantifier occurs inside it; a group that has one and is
// itself followed by one is the nested shape.
bool has_nested_quantifier(std::string_view p) {
  std::vector<bool> inside;  // per open group: holds an unbounded quantifier
  for (size_t i = 0; i < p.size();) {
    const char c = p[i];
    if (c == '\\') {
      i += 2;
    } else if (c == '[') {
      i = skip_class(p, i);
    } else if (c == '(') {
      inside.push_back(false);
      ++i;
      if (i < p.size() && p[i] == '?') i += 2;  // (?: (?= (?! ... are not quantifiers
    } else if (c == ')') {
      bool had = !inside.empty() && inside.back();
      if (!inside.empty()) inside.pop_back();
      ++i;
      bool repeated = is_unbounded_quantifier(p, i);
      if (had && repeated) return true;
      if (!inside.empty() && (had || repeated)) inside.back() = true;
    } else {
      if (is_unbounded_quantifier(p, i) && !inside.empty()) inside.back() = true;
      ++i;
    }
  }
  return false;
}

std::string SetData::add_pattern(std::string_view pattern, const SourceLocation& where) {
  int error = 0;
  PCRE2_SIZE error_offset = 0;
  auto compiled = std::make_unique<Pattern>();
  compiled->code =
      pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(), 0, &error, &error_offset, nullptr);
  if (!compiled->code) {
    PCRE2_UCHAR text[256];
    pcre2_get_error_message(error, text, sizeof text);
    return "bad regular expression at offset " + std::to_string(error_offset) + ": " +
           reinterpret_cast<const char*>(text);
  }
  // JIT is an optimisation: where it is unavailable the interpreter still works.
  (void)pcre2_jit_compile(compiled->code, PCRE2_JIT_COMPLETE);
  compiled->match = pcre2_match_data_create_from_pattern(compiled->code, nullptr);
  ++count_;
  patterns_.push_back(std::move(compiled));
  pattern_infos_.push_back(std::make_shared<const PatternInfo>(PatternInfo{std::string(pattern), where}));
  return {};
}

void SetData::merge(const SetData& other) {
  for (uint32_t n : other.numbers_) add_number(n);
  if (other.class_mask_) {
    class_mask_ |= other.class_mask_;
    count_ += other.count_;
  }
  for (const auto& p : other.prefixes_) add_path(p);
  for (const auto& info : other.pattern_infos_) {
    (void)add_pattern(info->text, info->where);  // compiled before: cannot fail
    pattern_infos_.back() = info;                // the same pattern, for counting its failures once
  }
}

void SetData::seal() {
  std::sort(numbers_.begin(), numbers_.end());
  numbers_.erase(std::unique(numbers_.begin(), numbers_.end()), numbers_.end());
  prefix_index_.assign(prefixes_.begin(), prefixes_.end());
  std::sort(prefix_index_.begin(), prefix_index_.end());
  prefix_index_.erase(std::unique(prefix_index_.begin(), prefix_index_.end()), prefix_index_.end());
  prefix_lengths_.clear();
  for (auto p : prefix_index_) prefix_lengths_.push_back(p.size());
  std::sort(prefix_lengths_.begin(), prefix_lengths_.end());
  prefix_lengths_.erase(std::unique(prefix_lengths_.begin(), prefix_lengths_.end()), prefix_lengths_.end());
}

// Path sets match by plain prefix, as the original's strncmp did (so /bin
// also matches /binx). One exact lookup per distinct prefix length keeps
// this cheap for sets of any size.
PathMatch SetData::match_path(std::string_view path, const RegexLimits& limits, const PatternInfo** failed) const {
  if (type_ == SetType::Pcre) {
    auto* context = static_cast<pcre2_match_context*>(limits.context());
    PathMatch result = PathMatch::No;
    for (size_t i = 0; i < patterns_.size(); ++i) {
      const auto& p = patterns_[i];
      int rc = pcre2_match(p->code, reinterpret_cast<PCRE2_SPTR>(path.data()), path.size(), 0, 0, p->match, context);
      if (rc >= 0) return PathMatch::Yes;
      // Any error but "no match" (match, depth, heap or JIT stack limit,
      // bad UTF...) leaves the answer unknown; another pattern may still
      // match, so go on.
      if (rc != PCRE2_ERROR_NOMATCH && result == PathMatch::No) {
        result = PathMatch::NotEvaluated;
        if (failed) *failed = pattern_infos_[i].get();
      }
    }
    return result;
  }
  if (prefix_index_.size() <= 8) {  // a few prefixes: compare each
    for (std::string_view prefix : prefix_index_)
      if (path.starts_with(prefix)) return PathMatch::Yes;
    return PathMatch::No;
  }
  for (size_t length : prefix_lengths_) {
    if (length > path.size()) break;
    if (std::binary_search(prefix_index_.begin(), prefix_index_.end(), path.substr(0, length))) return PathMatch::Yes;
  }
  return PathMatch::No;
}

bool SetData::matches_path(std::string_view path) const {
  static const RegexLimits defaults;
  return match_path(path, defaults) == PathMatch::Yes;
}

}  // namespace bullion::trace
