// Recursive-descent parser for bsmtrace.conf, accepting what real
// bsmtrace's yacc grammar accepts (docs/bsmtrace.md lists the few places we
// are stricter and why). Every error names file:line:column.
#include <sys/stat.h>

#include <fstream>
#include <sstream>
#include <unordered_map>

#include "bullion/trace/policy.h"
#include "trace/lexer.h"

namespace bullion::trace {
namespace {

// Loops are caught by the include chain check; this only bounds the
// recursion (the original nests as deep as it can open files, about 1,000).
constexpr int kMaxIncludeDepth = 1000;

#define TRY(expr)                              \
  do {                                         \
    auto status_ = (expr);                     \
    if (!status_.ok()) return status_.error(); \
  } while (0)

struct NamedSet {
  std::string file;
  std::shared_ptr<const SetData> data;
};

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? std::string() : path.substr(0, slash + 1);
}

Result<std::string> read_whole_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error{Errc::Io, 0, 0, path + ": cannot open configuration file"};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

class Parser {
 public:
  Parser(const NameResolver& names, Policy& policy, std::string main_file)
      : names_(names), policy_(policy), main_file_(std::move(main_file)) {}

  Status parse(std::string_view text, const std::string& file, int depth);
  void enter_main_file(const std::string& path);

 private:
  // Token stream.
  const Token& peek() const { return current_; }
  Token take();
  bool at_keyword(std::string_view k) const { return current_.type == TokenType::Keyword && current_.text == k; }
  bool at(TokenType t) const { return current_.type == t; }
  SourceLocation location(const Token& t) const { return {file_, t.line, t.column}; }
  Error error_at(const Token& t, const std::string& message) const;
  Status expect(TokenType type, const char* what);
  Status expect_keyword(std::string_view k);
  Result<std::string> expect_word(const char* what);
  Result<uint64_t> expect_integer(const char* what);

  // Statements.
  Status statement(int depth);
  Status define_set();
  Status include(int depth);
  Status logfile();
  Status unsupported(const Token& t);
  Status sequence();
  Status sequence_option(SequenceSpec& seq);
  Status state(SequenceSpec& seq);
  Status state_option(StateSpec& st, bool& has_event, bool& has_status);

  // Sets.
  Result<std::shared_ptr<SetData>> set_body(SetType type);  // "{ items ; }"
  Status set_item(SetData& set);
  Result<SetType> set_type();                // "< type >"
  Result<SetRef> set_use(const char* what);  // [not] $NAME | <type>{..}
  Status add_value(SetData& set, const Token& item);
  Result<uint32_t> resolve_number(SetType type, const Token& item);
  std::shared_ptr<const SetData> find_set(const std::string& name) const;
  Result<uint64_t> time_spec();
  Status key_fields(std::vector<KeyField>& out, const char* stop_word);
  Status group_by(SequenceSpec& seq);
  Status once(SequenceSpec& seq);
  Status count(StateSpec& st);
  Status check_extensions(const SequenceSpec& seq, const Token& close);
  bool at_word(std::string_view w) const {
    return (current_.type == TokenType::Word && !current_.quoted) && current_.text == w;
  }

  const NameResolver& names_;
  Policy& policy_;
  std::string main_file_;
  std::string file_;
  std::string logfile_;
  Lexer* lexer_ = nullptr;
  Token current_;
  std::unordered_map<std::string, std::vector<NamedSet>> sets_;
  std::unordered_map<std::string, SourceLocation> labels_;
  struct Included {
    dev_t device;
    ino_t inode;
    std::string file;
  };
  std::vector<Included> include_chain_;  // the files being read, outermost first
};

// Only regular files: an include of /dev/zero or a FIFO would never end.
bool file_identity(const std::string& path, dev_t& device, ino_t& inode) {
  struct stat st;
  if (stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return false;
  device = st.st_dev;
  inode = st.st_ino;
  return true;
}

void Parser::enter_main_file(const std::string& path) {
  Included main{0, 0, path};
  if (file_identity(path, main.device, main.inode)) include_chain_.push_back(main);
}

Token Parser::take() {
  Token t = std::move(current_);
  current_ = lexer_->next();
  return t;
}

Error Parser::error_at(const Token& t, const std::string& message) const {
  return Error{Errc::Parse, 0, 0, location(t).describe() + ": " + message};
}

std::string shown(const Token& t) {
  switch (t.type) {
    case TokenType::End:
      return "end of file";
    case TokenType::Error:
      return t.text;
    default:
      return "'" + t.text + "'";
  }
}

Status Parser::expect(TokenType type, const char* what) {
  if (current_.type == TokenType::Error) return error_at(current_, current_.text);
  if (current_.type != type) return error_at(current_, std::string("expected ") + what + ", found " + shown(current_));
  take();
  return Ok{};
}

Status Parser::expect_keyword(std::string_view k) {
  if (!at_keyword(k)) return error_at(current_, "expected '" + std::string(k) + "', found " + shown(current_));
  take();
  return Ok{};
}

Result<std::string> Parser::expect_word(const char* what) {
  if (current_.type == TokenType::Error) return error_at(current_, current_.text);
  if (current_.type != TokenType::Word)
    return error_at(current_, std::string("expected ") + what + ", found " + shown(current_));
  return take().text;
}

Result<uint64_t> Parser::expect_integer(const char* what) {
  if (current_.type != TokenType::Integer)
    return error_at(current_, std::string("expected ") + what + ", found " + shown(current_));
  if (current_.number > 0xffffffffull) return error_at(current_, "number too large");
  return take().number;
}

Status Parser::parse(std::string_view text, const std::string& file, int depth) {
  Lexer lexer(text);
  Lexer* saved_lexer = lexer_;
  Token saved_token = current_;
  std::string saved_file = file_, saved_logfile = logfile_;
  lexer_ = &lexer;
  file_ = file;
  logfile_.clear();  // an included file starts with the default log, as in the original
  current_ = lexer_->next();
  Status status = Ok{};
  while (!at(TokenType::End) && status.ok()) status = statement(depth);
  lexer_ = saved_lexer;
  current_ = std::move(saved_token);
  file_ = saved_file;
  logfile_ = saved_logfile;
  return status;
}

Status Parser::statement(int depth) {
  if (at(TokenType::Error)) return error_at(current_, current_.text);
  if (at_keyword("define")) return define_set();
  if (at_keyword("sequence")) return sequence();
  if (at_keyword("include")) return include(depth);
  if (at_keyword("logfile")) return logfile();
  if (at_keyword("log-channel") || at_keyword("log") || at_keyword("directory")) return unsupported(current_);
  return error_at(current_, "expected 'define', 'sequence', 'include' or 'logfile', found " + shown(current_));
}

// Log channels were dropped from bsmtrace's grammar; configs written before
// 2018 still carry them. Say so instead of a bare syntax error.
Status Parser::unsupported(const Token& t) {
  return error_at(t, "unsupported statement '" + t.text +
                         "': log channels were removed from the bsmtrace language; use "
                         "'logfile \"name\";' with -l logdir, or --syslog");
}

Result<SetType> Parser::set_type() {
  TRY(expect(TokenType::OpenAngle, "'<'"));
  Token name = current_;
  auto word = expect_word("a set type");
  if (!word) return word.error();
  static const std::pair<std::string_view, SetType> kTypes[] = {{"auid", SetType::Auid},
                                                                {"euid", SetType::Euid},
                                                                {"ruid", SetType::Ruid},
                                                                {"egid", SetType::Egid},
                                                                {"rgid", SetType::Rgid},
                                                                {"auditevent", SetType::AuditEvent},
                                                                {"auditclass", SetType::AuditClass},
                                                                {"path", SetType::Path},
                                                                {"pcre", SetType::Pcre},
                                                                {"logchannel", SetType::LogChannel}};
  for (auto [text, type] : kTypes) {
    if (*word == text) {
      TRY(expect(TokenType::CloseAngle, "'>'"));
      return type;
    }
  }
  return error_at(name, "'" + *word + "': invalid set type");
}

Status Parser::define_set() {
  take();  // define
  TRY(expect_keyword("set"));
  Token name_token = current_;
  auto name = expect_word("a set name");
  if (!name) return name.error();
  auto type = set_type();
  if (!type) return type.error();
  auto body = set_body(*type);
  if (!body) return body.error();
  TRY(expect(TokenType::Semicolon, "';' after the set"));
  // Later definitions shadow earlier ones, as in the original.
  sets_[*name].push_back(NamedSet{file_, std::move(*body)});
  return Ok{};
}

Result<std::shared_ptr<SetData>> Parser::set_body(SetType type) {
  TRY(expect(TokenType::OpenBrace, "'{'"));
  auto set = std::make_shared<SetData>(type);
  TRY(set_item(*set));
  while (at(TokenType::Comma)) {
    take();
    TRY(set_item(*set));
  }
  TRY(expect(TokenType::Semicolon, "',' or ';' after a set item"));
  TRY(expect(TokenType::CloseBrace, "'}'"));
  set->seal();
  return set;
}

// An item: a name or number, "<name>", or "set $OTHER" (merged in).
Status Parser::set_item(SetData& set) {
  if (at_keyword("set")) {
    take();
    Token name = current_;
    auto word = expect_word("a set name");
    if (!word) return word.error();
    auto other = find_set(*word);
    if (!other) return error_at(name, *word + ": invalid set (not defined)");
    if (other->type() != set.type())
      return error_at(name, *word + ": type mismatch (" + set_type_name(other->type()) + " set used in a " +
                                set_type_name(set.type()) + " set)");
    set.merge(*other);
    return Ok{};
  }
  if (at(TokenType::OpenAngle)) {
    take();
    Token item = current_;
    auto word = expect_word("a set item");
    if (!word) return word.error();
    TRY(expect(TokenType::CloseAngle, "'>'"));
    return add_value(set, item);
  }
  if (at(TokenType::Word) || at(TokenType::Integer)) return add_value(set, take());
  if (at(TokenType::Error)) return error_at(current_, current_.text);
  return error_at(current_, "expected a set item, found " + shown(current_));
}

Status Parser::add_value(SetData& set, const Token& item) {
  switch (set.type()) {
    case SetType::Path:
    case SetType::LogChannel:
      set.add_path(item.text);
      return Ok{};
    case SetType::Pcre: {
      std::string why = set.add_pattern(item.text, location(item));
      if (!why.empty()) return error_at(item, "'" + item.text + "': " + why);
      if (has_nested_quantifier(item.text))
        policy_.warnings.push_back(
            {location(item), "pattern '" + item.text +
                                 "' repeats a group that itself repeats (nested quantifier): on a long path PCRE2 may "
                                 "give up (match limit " +
                                 std::to_string(RegexLimits::kDefaultMatchLimit) +
                                 " steps by default); such records are counted and taken as matches"});
      return Ok{};
    }
    default: {
      auto n = resolve_number(set.type(), item);
      if (!n) return n.error();
      set.add_number(*n);
      return Ok{};
    }
  }
}

Result<uint64_t> parse_decimal(std::string_view text) {
  if (text.empty() || text.size() > 10) return Error{Errc::Parse, 0, 0, "not a number"};
  uint64_t n = 0;
  for (char c : text) {
    if (c < '0' || c > '9') return Error{Errc::Parse, 0, 0, "not a number"};
    n = n * 10 + static_cast<uint64_t>(c - '0');
  }
  if (n > 0xffffffffull) return Error{Errc::Parse, 0, 0, "not a number"};
  return n;
}

// Names first, then numbers, as the original (getpwnam, then strtoul).
// Unknown user and group names are warnings, not errors: a policy is often
// checked on a host other than the one whose trails it will read.
Result<uint32_t> Parser::resolve_number(SetType type, const Token& item) {
  const std::string& text = item.text;
  std::optional<uint32_t> found;
  const char* kind = "";
  switch (type) {
    case SetType::Auid:
    case SetType::Euid:
    case SetType::Ruid:
      kind = "user";
      if (names_.accounts) found = names_.accounts->user_id(text);
      break;
    case SetType::Egid:
    case SetType::Rgid:
      kind = "group";
      if (names_.accounts) found = names_.accounts->group_id(text);
      break;
    case SetType::AuditEvent:
      kind = "audit event";
      if (names_.events)
        if (auto* e = names_.events->find(std::string_view(text))) found = e->number;
      break;
    case SetType::AuditClass:
      kind = "audit class";
      if (names_.classes)
        if (auto* c = names_.classes->find(text)) found = c->mask;
      break;
    default:
      break;
  }
  if (found) return *found;
  if (auto n = parse_decimal(text)) {
    if (type == SetType::AuditEvent && *n > 0xffff) return error_at(item, text + ": audit event number out of range");
    return static_cast<uint32_t>(*n);
  }
  if (item.type == TokenType::Integer) return error_at(item, text + ": number out of range");
  if (type == SetType::AuditEvent || type == SetType::AuditClass)
    return error_at(item, text + ": invalid " + kind + " name");
  policy_.warnings.push_back({location(item), text + ": unknown " + kind +
                                                  " name; it will match nobody (use "
                                                  "--passwd/--group/--root to resolve names of another host)"});
  return 0xffffffffu - 1;  // a value no real account uses
}

std::shared_ptr<const SetData> Parser::find_set(const std::string& name) const {
  auto it = sets_.find(name);
  if (it == sets_.end()) return nullptr;
  // A set is visible in the file that defines it and, when defined in the
  // main file, everywhere (the original's scoping).
  for (auto s = it->second.rbegin(); s != it->second.rend(); ++s)
    if (s->file == file_ || s->file == main_file_) return s->data;
  return nullptr;
}

Result<SetRef> Parser::set_use(const char* what) {
  SetRef ref;
  if (at_keyword("not")) {
    take();
    ref.negated = true;
  }
  if (at(TokenType::OpenAngle)) {
    auto type = set_type();
    if (!type) return type.error();
    auto body = set_body(*type);
    if (!body) return body.error();
    ref.data = std::move(*body);
    return ref;
  }
  Token name = current_;
  auto word = expect_word(what);
  if (!word) return word.error();
  ref.data = find_set(*word);
  if (!ref.data) return error_at(name, *word + ": invalid set (not defined)");
  return ref;
}

Status Parser::include(int depth) {
  Token keyword = take();
  Token name_token = current_;
  auto name = expect_word("a file name");
  if (!name) return name.error();
  TRY(expect(TokenType::Semicolon, "';'"));
  if (depth >= kMaxIncludeDepth)
    return error_at(keyword, "includes nested deeper than " + std::to_string(kMaxIncludeDepth));
  std::string path = (*name)[0] == '/' ? *name : directory_of(file_) + *name;
  Included next{0, 0, path};
  if (!file_identity(path, next.device, next.inode))
    return error_at(name_token, "cannot open included file " + path + " (no such regular file)");
  for (const auto& outer : include_chain_) {
    if (outer.device != next.device || outer.inode != next.inode) continue;
    std::string chain;
    bool in_loop = false;
    for (const auto& f : include_chain_) {
      in_loop |= &f == &outer;
      if (in_loop) chain += f.file + " includes ";
    }
    return error_at(keyword, "include loop: " + chain + path);
  }
  auto text = read_whole_file(path);
  if (!text) return error_at(name_token, "cannot open included file " + path);
  include_chain_.push_back(std::move(next));
  Status status = parse(*text, path, depth + 1);
  include_chain_.pop_back();
  return status;
}

Status Parser::logfile() {
  take();
  Token name_token = current_;
  auto name = expect_word("a log file name");
  if (!name) return name.error();
  if (name->empty() || name->size() > 255 || name->find('/') != std::string::npos || *name == "." || *name == "..")
    return error_at(name_token, *name + ": invalid logfile (a plain file name is required)");
  TRY(expect(TokenType::Semicolon, "';'"));
  logfile_ = *name == "bsmtrace.log" ? std::string() : *name;
  return Ok{};
}

Status Parser::sequence() {
  Token keyword = take();
  SequenceSpec seq;
  seq.where = location(keyword);
  seq.logfile = logfile_;
  Token name_token = current_;
  auto label = expect_word("a sequence name");
  if (!label) return label.error();
  seq.label = *label;
  bool has_subject = false;
  TRY(expect(TokenType::OpenBrace, "'{'"));
  while (!at(TokenType::CloseBrace)) {
    if (at_keyword("subject")) has_subject = true;
    TRY(sequence_option(seq));
  }
  Token close = take();
  TRY(expect(TokenType::Semicolon, "';' after the sequence"));
  if (!has_subject) return error_at(name_token, seq.label + ": must specify a subject");
  if (seq.states.empty()) return error_at(close, seq.label + ": a sequence needs a state");
  TRY(check_extensions(seq, close));
  if (auto it = labels_.find(seq.label); it != labels_.end())
    policy_.warnings.push_back({seq.where, seq.label + ": sequence name already used at " + it->second.describe()});
  labels_.emplace(seq.label, seq.where);
  policy_.sequences.push_back(std::move(seq));
  return Ok{};
}

Result<uint64_t> Parser::time_spec() {
  if (at_keyword("none")) {
    take();
    return uint64_t{0};
  }
  auto n = expect_integer("a number or 'none'");
  if (!n) return n.error();
  static const std::pair<std::string_view, uint64_t> kUnits[] = {
      {"seconds", 1}, {"minutes", 60}, {"hours", 3600}, {"days", 86400}, {"weeks", 604800}};
  for (auto [unit, factor] : kUnits)
    if (at_keyword(unit)) {
      take();
      return *n * factor;
    }
  return error_at(current_, "expected seconds, minutes, hours, days or weeks, found " + shown(current_));
}

// The extensions' words (group-by, once, per, count, within) are not
// keywords to the lexer, only in these places: a set item or sequence
// name spelt like them still means what it meant to the original.
Status Parser::sequence_option(SequenceSpec& seq) {
  Token option = current_;
  if (at_keyword("state")) return state(seq);
  if (at_word("group-by")) return group_by(seq);
  if (at_word("once")) return once(seq);
  if (option.type != TokenType::Keyword)
    return error_at(option,
                    "expected a sequence option (subject, timeout, timeout-window, timeout-prob, priority, serial, "
                    "scope, zone, group-by, once) or 'state', found " +
                        shown(option));
  take();
  const std::string& k = option.text;
  if (k == "subject") {
    if (at_keyword("any")) {
      take();
      seq.subject_any = true;
      seq.subject_type = SetType::Auid;
    } else {
      Token where = current_;
      auto ref = set_use("a subject set");
      if (!ref) return ref.error();
      if (!is_subject_type(ref->data->type()))
        return error_at(where,
                        "supplied set does not contain subjects (auid, euid, ruid, "
                        "egid or rgid)");
      seq.subject_any = false;
      seq.subject = *ref;
      seq.subject_type = ref->data->type();
    }
  } else if (k == "timeout" || k == "timeout-window") {
    auto t = time_spec();
    if (!t) return t.error();
    (k == "timeout" ? seq.timeout : seq.timeout_window) = *t;
  } else if (k == "timeout-prob" || k == "priority" || k == "serial") {
    auto n = expect_integer("a number");
    if (!n) return n.error();
    if (k == "timeout-prob") {
      if (*n > 100) return error_at(option, "timeout-prob is a percentage (0-100)");
      seq.timeout_probability = static_cast<uint32_t>(*n);
    } else if (k == "priority") {
      seq.priority = static_cast<uint32_t>(*n);
    } else {
      seq.serial = *n;
    }
  } else if (k == "scope") {
    Token where = current_;
    auto name = expect_word("global, process, session or thread");
    if (!name) return name.error();
    static const std::pair<std::string_view, Scope> kScopes[] = {
        {"global", Scope::Global}, {"process", Scope::Process}, {"session", Scope::Session}, {"thread", Scope::Thread}};
    bool known = false;
    for (auto [text, scope] : kScopes)
      if (*name == text) {
        seq.scope = scope;
        known = true;
      }
    if (!known) return error_at(where, *name + ": invalid scope");
    seq.scope_given = true;
  } else if (k == "zone") {
    if (at_keyword("none") || at_keyword("any")) {
      seq.zone = take().text == "none" ? ZoneKind::None : ZoneKind::Any;
    } else {
      auto glob = expect_word("none, any or a zone name");
      if (!glob) return glob.error();
      seq.zone = ZoneKind::Glob;
      seq.zone_glob = *glob;
    }
  } else if (k == "log" || k == "log-channel" || k == "directory") {
    return unsupported(option);
  } else {
    return error_at(option, "'" + k + "' is not a sequence option");
  }
  return expect(TokenType::Semicolon, "';'");
}

Status Parser::state(SequenceSpec& seq) {
  Token keyword = take();
  StateSpec st;
  st.where = location(keyword);
  if (at_keyword("not")) {  // extension: `state not { ... };`
    take();
    st.absent = true;
  }
  bool has_event = false, has_status = false;
  TRY(expect(TokenType::OpenBrace, "'{'"));
  while (!at(TokenType::CloseBrace)) TRY(state_option(st, has_event, has_status));
  take();
  TRY(expect(TokenType::Semicolon, "';' after the state"));
  // The original crashed on these; say what is missing instead.
  if (!has_event) return error_at(keyword, "state has no 'event' (event any; or event SET;)");
  if (!has_status) return error_at(keyword, "state has no 'status' (status success|failure|any;)");
  seq.states.push_back(std::move(st));
  return Ok{};
}

Status Parser::state_option(StateSpec& st, bool& has_event, bool& has_status) {
  Token option = current_;
  if (at_word("count")) return count(st);
  if (option.type != TokenType::Keyword)
    return error_at(
        option, "expected a state option (event, status, object, multiplier, trigger, count), found " + shown(option));
  take();
  const std::string& k = option.text;
  if (k == "event") {
    has_event = true;
    if (at_keyword("any")) {
      take();
      st.event_any = true;
    } else {
      Token where = current_;
      auto ref = set_use("an event set");
      if (!ref) return ref.error();
      auto type = ref->data->type();
      if (type != SetType::AuditEvent && type != SetType::AuditClass)
        return error_at(where, "supplied set contains no audit events or classes");
      st.event_any = false;
      st.events = *ref;
    }
  } else if (k == "object") {
    Token where = current_;
    auto ref = set_use("an object set");
    if (!ref) return ref.error();
    if (ref->data->type() != SetType::Path && ref->data->type() != SetType::Pcre)
      return error_at(where, "objects must be of type path or pcre");
    st.has_object = true;
    st.object = *ref;
  } else if (k == "status") {
    has_status = true;
    if (at_keyword("success"))
      st.status = StatusFilter::Success;
    else if (at_keyword("failure"))
      st.status = StatusFilter::Failure;
    else if (at_keyword("any"))
      st.status = StatusFilter::Any;
    else
      return error_at(current_, "expected success, failure or any, found " + shown(current_));
    take();
  } else if (k == "multiplier") {
    auto n = expect_integer("a number");
    if (!n) return n.error();
    if (*n > 100000) return error_at(option, "multiplier larger than 100000");
    st.multiplier = *n == 0 ? 1 : static_cast<uint32_t>(*n);  // 0 means 1, as in the original
  } else if (k == "trigger") {
    Token where = current_;
    auto command = expect_word("a quoted command");
    if (!command) return command.error();
    if (command->empty() || (*command)[0] != '/')
      return error_at(where, "trigger must start with an absolute program path (no shell is used)");
    st.trigger = *command;
  } else {
    return error_at(option, "'" + k + "' is not a state option");
  }
  return expect(TokenType::Semicolon, "';'");
}

const std::pair<std::string_view, KeyField> kKeyFields[] = {
    {"subject", KeyField::Subject},   {"auid", KeyField::Auid},       {"euid", KeyField::Euid},
    {"ruid", KeyField::Ruid},         {"egid", KeyField::Egid},       {"rgid", KeyField::Rgid},
    {"pid", KeyField::Pid},           {"session", KeyField::Session}, {"source-address", KeyField::SourceAddress},
    {"terminal", KeyField::Terminal}, {"text", KeyField::Text},       {"object", KeyField::Object},
    {"zone", KeyField::Zone},
};

// KEY [, KEY ...] up to ';' (group-by) or the word `per` (once per).
Status Parser::key_fields(std::vector<KeyField>& out, const char* stop_word) {
  for (;;) {
    const Token& t = current_;
    bool found = false;
    if ((t.type == TokenType::Word || t.type == TokenType::Keyword) && !t.quoted) {
      for (auto [name, field] : kKeyFields)
        if (t.text == name) {
          out.push_back(field);
          found = true;
        }
    }
    if (!found)
      return error_at(t,
                      "expected subject, auid, euid, ruid, egid, rgid, pid, session, source-address, terminal, "
                      "text, object or zone, found " +
                          shown(t));
    take();
    if (!at(TokenType::Comma)) break;
    take();
  }
  if (stop_word) {
    if (!at_word(stop_word))
      return error_at(current_, std::string("expected ',' or '") + stop_word + "', found " + shown(current_));
    take();
  }
  return Ok{};
}

// group-by KEY [, KEY ...];
Status Parser::group_by(SequenceSpec& seq) {
  Token option = take();
  if (!seq.group_by.empty()) return error_at(option, "group-by given twice");
  TRY(key_fields(seq.group_by, nullptr));
  return expect(TokenType::Semicolon, "',' or ';'");
}

// once per N UNIT;  or  once per KEY [, KEY ...] per N UNIT;
Status Parser::once(SequenceSpec& seq) {
  Token option = take();
  if (seq.once) return error_at(option, "once given twice");
  if (!at_word("per")) return error_at(current_, "expected 'per' after 'once', found " + shown(current_));
  take();
  seq.once_by.clear();
  if (!at(TokenType::Integer)) TRY(key_fields(seq.once_by, "per"));
  Token period_token = current_;
  if (!at(TokenType::Integer))
    return error_at(period_token,
                    "expected a period (N seconds|minutes|hours|days|weeks), found " + shown(period_token));
  auto period = time_spec();
  if (!period) return period.error();
  if (*period == 0) return error_at(period_token, "once needs a period longer than 0");
  seq.once = true;
  seq.once_period = *period;
  return expect(TokenType::Semicolon, "';'");
}

// count N within T UNIT;
Status Parser::count(StateSpec& st) {
  Token option = take();
  auto n = expect_integer("a number");
  if (!n) return n.error();
  if (*n == 0 || *n > 100000) return error_at(option, "count must be 1 to 100000");
  if (!at_word("within")) return error_at(current_, "expected 'within' after the count, found " + shown(current_));
  take();
  Token window_token = current_;
  if (!at(TokenType::Integer))
    return error_at(window_token,
                    "expected a window (N seconds|minutes|hours|days|weeks), found " + shown(window_token));
  auto window = time_spec();
  if (!window) return window.error();
  if (*window == 0) return error_at(window_token, "count needs a window longer than 0");
  st.count = static_cast<uint32_t>(*n);
  st.count_window = *window;
  return expect(TokenType::Semicolon, "';'");
}

// Where the extensions may stand, checked once the whole sequence is read.
Status Parser::check_extensions(const SequenceSpec& seq, const Token& close) {
  for (size_t i = 0; i < seq.states.size(); ++i) {
    const StateSpec& st = seq.states[i];
    const Token at_state{TokenType::Word, "", false, 0, st.where.line, st.where.column};
    if (st.absent) {
      if (i == 0 || i + 1 != seq.states.size())
        return error_at(at_state, "'state not' must be the last state, after at least one other");
      if (seq.timeout == 0)
        return error_at(at_state, "'state not' needs a timeout (the time in which it must not happen)");
      if (st.multiplier != 1 || st.count != 0 || !st.trigger.empty())
        return error_at(at_state, "'state not' takes no multiplier, count or trigger");
    }
    if (st.count != 0) {
      if (i != 0) return error_at(at_state, "count is only allowed in the first state");
      if (st.multiplier != 1) return error_at(at_state, "use either count or multiplier in a state, not both");
    }
  }
  if (!seq.group_by.empty() && seq.scope_given)
    return error_at(close, seq.label + ": group-by and scope both choose what instances are kept per; use one");
  return Ok{};
}

}  // namespace

std::string SourceLocation::describe() const {
  return file + ":" + std::to_string(line) + ":" + std::to_string(column);
}

std::string Diagnostic::describe() const { return where.describe() + ": " + message; }

Result<Policy> parse_policy_text(std::string_view text, const std::string& file_name, const NameResolver& names) {
  Policy policy;
  Parser parser(names, policy, file_name);
  parser.enter_main_file(file_name);
  Status status = parser.parse(text, file_name, 0);
  if (!status) return status.error();
  return policy;
}

Result<Policy> parse_policy_file(const std::string& path, const NameResolver& names) {
  auto text = read_whole_file(path);
  if (!text) return text.error();
  return parse_policy_text(*text, path, names);
}

}  // namespace bullion::trace
