// Parsing and validating a limits file (see limits.hpp).
#include "gate/limits.hpp"

#include <array>
#include <set>

#include "base/error.hpp"
#include "base/size_text.hpp"
#include "gate/value_format.hpp"
#include "json/json_file.hpp"

namespace fragreplay::gate {
namespace {

using nlohmann::ordered_json;

constexpr std::array<std::string_view, 3> kKindKeys{"metric", "no_contiguous_failures",
                                                    "no_new_findings"};

struct GroupKey {
  std::string_view key;
  RowGroup group;
};
constexpr std::array kGroupKeys{
    GroupKey{"tag", RowGroup::kTag},           GroupKey{"routine", RowGroup::kRoutine},
    GroupKey{"process", RowGroup::kProcess},   GroupKey{"module", RowGroup::kModule},
    GroupKey{"adapter", RowGroup::kAdapter},   GroupKey{"call_site", RowGroup::kCallSite},
    GroupKey{"pool_kind", RowGroup::kPoolKind}};

std::string join(const std::vector<std::string_view>& parts, std::string_view sep = ", ") {
  std::string s;
  for (const auto p : parts) s += (s.empty() ? "" : std::string(sep)) + std::string(p);
  return s;
}

class LimitsParser {
 public:
  explicit LimitsParser(std::string file) : file_(std::move(file)) {}

  Limits parse(const ordered_json& doc) {
    if (!doc.is_object())
      fail("",
           "expected a JSON object with \"limits_version\" and \"rules\", got " + json_kind(doc));
    check_keys(doc, "", {"limits_version", "rules", "comment"}, "the limits file");
    const auto version = doc.find("limits_version");
    if (version == doc.end()) {
      fail("", "missing \"limits_version\": " + std::to_string(kLimitsVersion) +
                   " (the format of this file)");
    }
    if (!version->is_number_integer() || version->get<long long>() != kLimitsVersion) {
      fail("limits_version", "this fragreplay reads limits_version " +
                                 std::to_string(kLimitsVersion) + ", got " + json_kind(*version));
    }
    check_text(doc, "comment", "comment");
    const auto rules = doc.find("rules");
    if (rules == doc.end()) fail("", "missing \"rules\": an array of rules");
    if (!rules->is_array()) fail("rules", "expected an array of rules, got " + json_kind(*rules));
    if (rules->empty())
      fail("rules", "expected at least one rule (a check without rules checks nothing)");
    Limits limits;
    limits.file = file_;
    std::set<std::string> names;
    for (std::size_t i = 0; i < rules->size(); ++i) {
      Rule rule = parse_rule((*rules)[i], "rules[" + std::to_string(i) + "]");
      if (!names.insert(rule.name).second) {
        fail(rule.where, "another rule has the name \"" + rule.name +
                             "\"; give one of them a different \"name\"");
      }
      limits.rules.push_back(std::move(rule));
    }
    return limits;
  }

 private:
  [[noreturn]] void fail(const std::string& path, const std::string& what) const {
    throw Error(Position{file_, 0, 0, false}, path.empty() ? what : path + ": " + what);
  }

  void check_keys(const ordered_json& obj, const std::string& where,
                  const std::vector<std::string_view>& allowed, const std::string& what) const {
    for (auto it = obj.begin(); it != obj.end(); ++it) {
      bool ok = false;
      for (const auto a : allowed) ok = ok || a == it.key();
      if (ok) continue;
      std::string msg = "unknown key \"" + printable(it.key()) + "\"";
      const std::string guess = closest_name(it.key(), allowed);
      if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
      fail(where, msg + "; " + what + " takes: " + join(allowed));
    }
  }

  // An optional one-line text field; "" when absent.
  std::string check_text(const ordered_json& obj, const std::string& key,
                         const std::string& path) const {
    const auto it = obj.find(key);
    if (it == obj.end()) return {};
    if (!it->is_string()) fail(path, "expected a string, got " + json_kind(*it));
    const std::string& s = it->get_ref<const std::string&>();
    if (printable(s) != s) fail(path, "expected one line of text without control characters");
    return s;
  }

  // A non-negative number, or for a byte metric a size such as "16KiB".
  double amount(const ordered_json& v, const std::string& path, const MetricLimit& limit) const {
    if (v.is_number()) {
      if (v.get<double>() < 0) fail(path, "expected a number >= 0, got " + json_kind(v));
      return v.get<double>();
    }
    if (v.is_string()) {
      const std::string& s = v.get_ref<const std::string&>();
      if (limit.unit != Unit::kBytes) {
        fail(path, "'" + limit.metric + "' is measured in " + std::string(unit_name(limit.unit)) +
                       ", not bytes; expected a plain number, got " + json_kind(v));
      }
      const SizeText size = parse_size_text(s);
      if (!size.error.empty()) {
        fail(path, "expected a size such as \"16KiB\" or a number of bytes, got \"" + printable(s) +
                       "\": " + size.error);
      }
      return static_cast<double>(size.bytes);
    }
    fail(path, std::string("expected a number") +
                   (limit.unit == Unit::kBytes ? " or a size such as \"16KiB\"" : "") + ", got " +
                   json_kind(v));
  }

  Rule parse_rule(const ordered_json& r, const std::string& where) const {
    if (!r.is_object()) fail(where, "expected a rule (an object), got " + json_kind(r));
    std::vector<std::string_view> kinds;
    for (const auto k : kKindKeys) {
      if (r.contains(std::string(k))) kinds.push_back(k);
    }
    if (kinds.size() != 1) {
      fail(where, (kinds.empty() ? std::string("expected one of") : "expected only one of") +
                      " \"metric\", \"no_contiguous_failures\" or \"no_new_findings\"" +
                      (kinds.empty() ? "" : ", got " + join(kinds, " and ")));
    }
    Rule rule;
    rule.where = where;
    if (kinds[0] == "metric") {
      parse_metric_rule(r, rule);
    } else if (kinds[0] == "no_contiguous_failures") {
      check_keys(r, where, {"no_contiguous_failures", "name", "note", "comment"},
                 "a contiguous-failure rule");
      parse_causes(r["no_contiguous_failures"], where + ".no_contiguous_failures", rule);
    } else {
      check_keys(r, where, {"no_new_findings", "name", "note", "comment"}, "a findings rule");
      const ordered_json& v = r["no_new_findings"];
      const auto s = v.is_string() ? parse_severity(v.get<std::string>()) : std::nullopt;
      if (!s) {
        fail(
            where + ".no_new_findings",
            "expected the lowest severity that fails: info, warning or error, got " + json_kind(v));
      }
      rule.kind = RuleKind::kNewFindings;
      rule.min_severity = *s;
      rule.name = "no new findings of severity " + std::string(severity_name(*s)) +
                  (*s == Severity::kError ? "" : " or above");
    }
    rule.note = check_text(r, "note", where + ".note");
    check_text(r, "comment", where + ".comment");
    const auto name = r.find("name");
    if (name != r.end()) {
      const std::string n = check_text(r, "name", where + ".name");
      if (n.empty()) fail(where + ".name", "expected a non-empty name");
      rule.name = n;
    }
    return rule;
  }

  void parse_metric_rule(const ordered_json& r, Rule& rule) const {
    const std::string& where = rule.where;
    check_keys(
        r, where,
        {"metric", "tag", "routine", "process", "module", "adapter", "call_site", "pool_kind",
         "max", "max_increase_percent", "min_increase", "name", "note", "comment"},
        "a metric rule");
    rule.kind = RuleKind::kMetric;
    MetricLimit& limit = rule.limit;
    for (const GroupKey& g : kGroupKeys) {
      const auto it = r.find(std::string(g.key));
      if (it == r.end()) continue;
      if (limit.group)
        fail(where, "expected only one of \"tag\", \"routine\", \"process\" or \"adapter\"");
      limit.group = g.group;
      limit.pattern = check_text(r, std::string(g.key), where + "." + std::string(g.key));
    }
    const ordered_json& m = r["metric"];
    if (!m.is_string()) fail(where + ".metric", "expected a metric name, got " + json_kind(m));
    limit.metric = m.get<std::string>();
    std::vector<std::string_view> known;
    const MetricInfo* info = nullptr;
    if (limit.group) {
      info = find_known_row_field(*limit.group, limit.metric);
      for (const MetricInfo& k : known_row_fields(*limit.group)) known.push_back(k.name);
    } else {
      info = find_known_metric(limit.metric);
      for (const MetricInfo& k : known_metrics()) known.push_back(k.name);
    }
    if (info == nullptr) {
      std::string msg =
          "unknown " +
          (limit.group ? "per-" + std::string(row_group_name(*limit.group)) + " " : std::string()) +
          "metric \"" + printable(limit.metric) + "\"";
      const std::string guess = closest_name(limit.metric, known);
      if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
      if (!limit.group && find_known_row_field(RowGroup::kTag, limit.metric) != nullptr) {
        msg +=
            " (a per-tag, per-routine or per-process field: add \"tag\": \"*\", \"routine\": "
            "\"*\" or \"process\": \"*\")";
      }
      fail(where + ".metric", msg + "; known: " + join(known));
    }
    limit.unit = info->unit;
    if (const auto it = r.find("max"); it != r.end()) {
      limit.max = amount(*it, where + ".max", limit);
    }
    if (const auto it = r.find("max_increase_percent"); it != r.end()) {
      if (!it->is_number() || it->get<double>() < 0) {
        fail(where + ".max_increase_percent",
             "expected a percentage >= 0 such as 5 or 2.5, got " + json_kind(*it));
      }
      limit.max_increase_percent = it->get<double>();
    }
    if (const auto it = r.find("min_increase"); it != r.end()) {
      if (!limit.max_increase_percent) {
        fail(where + ".min_increase",
             "only used with \"max_increase_percent\" (a rise must exceed both to fail)");
      }
      limit.min_increase = amount(*it, where + ".min_increase", limit);
    }
    if (!limit.max && !limit.max_increase_percent) {
      fail(where, "a metric rule needs \"max\", \"max_increase_percent\" or both");
    }
    rule.name = metric_rule_name(limit);
  }

  static std::string metric_rule_name(const MetricLimit& l) {
    std::string s = l.group
                        ? std::string(row_group_name(*l.group)) + " " + l.pattern + " " + l.metric
                        : l.metric;
    std::vector<std::string> parts;
    if (l.max) parts.push_back("at most " + format_limit(l.unit, *l.max));
    if (l.max_increase_percent) {
      if (*l.max_increase_percent == 0 && l.min_increase == 0) {
        parts.push_back("no increase");
      } else {
        std::string p = "up at most " + format_limit_percent(*l.max_increase_percent);
        if (l.min_increase > 0) p += " or " + format_limit(l.unit, l.min_increase);
        parts.push_back(p);
      }
    }
    for (std::size_t i = 0; i < parts.size(); ++i) s += (i == 0 ? " " : ", ") + parts[i];
    return s;
  }

  void parse_causes(const ordered_json& v, const std::string& path, Rule& rule) const {
    rule.kind = RuleKind::kContiguousFailures;
    std::vector<std::string_view> known(contiguous_causes().begin(), contiguous_causes().end());
    known.push_back("any");
    auto add = [&](const ordered_json& c, const std::string& at) {
      if (!c.is_string()) fail(at, "expected a cause (" + join(known) + "), got " + json_kind(c));
      const std::string cause = c.get<std::string>();
      bool ok = false;
      for (const auto k : known) ok = ok || k == cause;
      if (!ok) {
        std::string msg = "unknown cause \"" + printable(cause) + "\"";
        const std::string guess = closest_name(cause, known);
        if (!guess.empty()) msg += " (did you mean \"" + guess + "\"?)";
        fail(at, msg + "; known: " + join(known));
      }
      for (const std::string& seen : rule.causes) {
        if (seen == cause) fail(at, "\"" + cause + "\" is listed twice");
      }
      rule.causes.push_back(cause);
    };
    if (v.is_array()) {
      if (v.empty()) fail(path, "expected at least one cause");
      for (std::size_t i = 0; i < v.size(); ++i) add(v[i], path + "[" + std::to_string(i) + "]");
    } else {
      add(v, path);
    }
    if (rule.causes.size() > 1) {
      for (const std::string& c : rule.causes) {
        if (c == "any") fail(path, "\"any\" already covers every cause; list it alone");
      }
    }
    std::string list;
    for (std::size_t i = 0; i < rule.causes.size(); ++i) {
      list += (i == 0 ? "" : i + 1 == rule.causes.size() ? " or " : ", ") + rule.causes[i];
    }
    rule.name =
        rule.causes[0] == "any" ? "no contiguous failures" : "no contiguous failures from " + list;
  }

  std::string file_;
};

}  // namespace

Limits parse_limits(const ordered_json& doc, const std::string& file) {
  return LimitsParser(file).parse(doc);
}

Limits read_limits_file(const std::string& path) {
  return parse_limits(read_json_file(path, JsonParseOptions{true, true}), path);
}

bool key_matches(std::string_view pattern, std::string_view key) {
  // Greedy glob with one backtrack point: the last '*' seen.
  std::size_t p = 0, k = 0, star = std::string_view::npos, star_k = 0;
  while (k < key.size()) {
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      star_k = k;
    } else if (p < pattern.size() && pattern[p] == key[k]) {
      ++p;
      ++k;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      k = ++star_k;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

}  // namespace fragreplay::gate
