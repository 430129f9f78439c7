#include "trace/keys.h"

#include <arpa/inet.h>

namespace bullion::trace {
namespace {

void append_bytes(std::string& out, const void* data, size_t size) { out.append(static_cast<const char*>(data), size); }

void append_address(std::string& out, const KeySource& k) {
  const uint8_t type = k.has_subject ? static_cast<uint8_t>(k.subject->addr_type == 16 ? 16 : 4) : 0;
  out.push_back(static_cast<char>(type));
  if (type) append_bytes(out, k.subject->addr, type);
}

// FNV-1a: a stable 64-bit digest for alert ids (not for security).
void fnv(uint64_t& h, const void* data, size_t size) {
  const auto* p = static_cast<const uint8_t*>(data);
  for (size_t i = 0; i < size; ++i) h = (h ^ p[i]) * 0x100000001b3ull;
}

}  // namespace

std::string address_text(uint32_t type, const uint8_t* addr) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(type == 16 ? AF_INET6 : AF_INET, addr, text, sizeof text);
  return text;
}

uint32_t subject_id(const KeySource& k, KeyField field, SetType subject_type) {
  if (field == KeyField::Pid || field == KeyField::Session) {
    if (!k.has_subject) return 0;
    return field == KeyField::Pid ? k.subject->pid : k.subject->sid;
  }
  if (!k.has_subject) return kNonAttributable;
  if (field == KeyField::Subject) {
    switch (subject_type) {
      case SetType::Euid:
        field = KeyField::Euid;
        break;
      case SetType::Ruid:
        field = KeyField::Ruid;
        break;
      case SetType::Egid:
        field = KeyField::Egid;
        break;
      case SetType::Rgid:
        field = KeyField::Rgid;
        break;
      default:
        field = KeyField::Auid;
    }
  }
  switch (field) {
    case KeyField::Euid:
      return k.subject->euid;
    case KeyField::Ruid:
      return k.subject->ruid;
    case KeyField::Egid:
      return k.subject->egid;
    case KeyField::Rgid:
      return k.subject->rgid;
    default:
      return k.subject->auid;
  }
}

void append_string(std::string& out, std::string_view s) {
  const uint32_t size = static_cast<uint32_t>(s.size());
  append_bytes(out, &size, sizeof size);
  out.append(s);
}

// One field, encoded so that no two different values give the same bytes.
void append_key_field(std::string& out, KeyField field, const KeySource& k, SetType subject_type) {
  switch (field) {
    case KeyField::SourceAddress:
      return append_address(out, k);
    case KeyField::Terminal: {
      const uint64_t port = k.has_subject ? k.subject->port : 0;
      append_bytes(out, &port, sizeof port);
      return append_address(out, k);
    }
    case KeyField::Text:
      return append_string(out, k.text);
    case KeyField::Object:
      return append_string(out, k.object);
    case KeyField::Zone:
      return append_string(out, k.zone);
    default: {
      const uint32_t id = subject_id(k, field, subject_type);
      return append_bytes(out, &id, sizeof id);
    }
  }
}

std::string key_field_text(KeyField field, const KeySource& k, SetType subject_type) {
  switch (field) {
    case KeyField::SourceAddress:
      return k.has_subject ? address_text(k.subject->addr_type, k.subject->addr) : "";
    case KeyField::Terminal:
      return k.has_subject ? std::to_string(k.subject->port) + " " + address_text(k.subject->addr_type, k.subject->addr)
                           : "";
    case KeyField::Text:
      return std::string(k.text);
    case KeyField::Object:
      return std::string(k.object);
    case KeyField::Zone:
      return std::string(k.zone);
    default:
      return std::to_string(subject_id(k, field, subject_type));
  }
}

KeySource key_source(const MatchedRecord& r) { return {r.has_subject, &r.subject, r.text, r.path, r.zone}; }

uint64_t alert_id(const Alert& alert) {
  uint64_t h = 0xcbf29ce484222325ull;
  fnv(h, alert.sequence->label.data(), alert.sequence->label.size());
  for (const auto& r : alert.records) {
    fnv(h, r.source.data(), r.source.size());
    fnv(h, &r.offset, sizeof r.offset);
    fnv(h, &r.seconds, sizeof r.seconds);
    fnv(h, &r.msec, sizeof r.msec);
    fnv(h, &r.event, sizeof r.event);
  }
  return h;
}

}  // namespace bullion::trace
