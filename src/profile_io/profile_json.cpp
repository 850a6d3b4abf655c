// Profile <-> JSON through one table of fields (see profile_json.hpp; the table is
// profile_fields.hpp, where adding a Profile field is one row).
#include "profile_io/profile_json.hpp"

#include <fstream>
#include <set>
#include <sstream>
#include <string_view>

#include "base/error.hpp"
#include "json/json_file.hpp"
#include "json/json_text.hpp"
#include "profile_io/profile_fields.hpp"

namespace fragreplay::cli {

using model::Profile;
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;
using profile_fields::BadValue;
using profile_fields::Field;
using profile_fields::fields;

namespace {

std::pair<std::string, std::string> split_key(const std::string& key) {
  const std::size_t dot = key.find('.');
  if (dot == std::string::npos) return {"", key};
  return {key.substr(0, dot), key.substr(dot + 1)};
}

const Field* find_field(const std::string& key) {
  for (const Field& f : fields()) {
    if (f.key == key) return &f;
  }
  return nullptr;
}

bool is_group(const std::string& name) {
  for (const Field& f : fields()) {
    if (split_key(f.key).first == name) return true;
  }
  return false;
}

std::string known_keys(const std::string& group) {
  std::string out;
  for (const Field& f : fields()) {
    const auto [g, leaf] = split_key(f.key);
    if (g != group) continue;
    out += (out.empty() ? "" : ", ") + leaf;
  }
  if (group.empty()) {
    std::set<std::string> groups;
    for (const Field& f : fields()) {
      const std::string g = split_key(f.key).first;
      if (!g.empty() && groups.insert(g).second) out += ", " + g;
    }
    out += ", base";
  }
  return out;
}

}  // namespace

OrderedJson profile_to_json(const Profile& p) {
  OrderedJson doc;
  for (const Field& f : fields()) {
    const auto [group, leaf] = split_key(f.key);
    if (group.empty()) {
      doc[leaf] = f.get(p);
    } else {
      doc[group][leaf] = f.get(p);
    }
  }
  return doc;
}

std::vector<std::pair<std::string, std::string>> profile_keys() {
  std::vector<std::pair<std::string, std::string>> out;
  for (const Field& f : fields()) out.emplace_back(f.key, f.doc);
  return out;
}

Profile profile_from_json(const Json& doc, const std::string& source) {
  auto fail = [&](const std::string& message) -> Error {
    return Error(Position{source, 0, 0, false}, message);
  };
  if (!doc.is_object()) throw fail("a profile is a JSON object");
  Profile p;
  if (const auto base = doc.find("base"); base != doc.end()) {
    if (!base->is_string()) throw fail("key 'base': expected the name of a built-in profile");
    p = model::builtin_profile(base->get<std::string>());
  }
  p.name.clear();
  auto apply = [&](const std::string& key, const Json& value) {
    const Field* f = find_field(key);
    if (f == nullptr) {
      const std::string group = split_key(key).first;
      throw fail("unknown key '" + key + "' (known" + (group.empty() ? "" : " in '" + group + "'") +
                 ": " + known_keys(group) + ")");
    }
    try {
      f->set(p, value);
    } catch (const BadValue& b) {
      throw fail("key '" + key + "': expected " + b.expected + ", got " +
                 fragreplay::printable(fragreplay::json_text(value, -1)));
    }
  };
  for (const auto& [key, value] : doc.items()) {
    if (key == "base") continue;
    if (is_group(key)) {
      if (!value.is_object()) throw fail("key '" + key + "': expected an object of settings");
      for (const auto& [leaf, v] : value.items()) apply(key + "." + leaf, v);
    } else {
      apply(key, value);
    }
  }
  if (p.name.empty()) throw fail("a profile needs a \"name\"");
  for (const Profile& b : model::builtin_profiles()) {
    if (b.name == p.name) {
      throw fail("'" + p.name +
                 "' is the name of a built-in profile; give yours its own (\"base\": \"" + p.name +
                 "\" starts from it)");
    }
  }
  try {
    p.validate();
  } catch (const Error& e) {
    throw fail(e.message());
  }
  return p;
}

Profile parse_profile_text(std::string_view text, const std::string& source) {
  fragreplay::check_json_depth(text, source);
  Json doc;
  try {
    doc = Json::parse(text);
  } catch (const Json::parse_error& e) {
    throw Error(Position::at_offset(source, e.byte), std::string("not valid JSON: ") + e.what());
  } catch (const Json::out_of_range& e) {
    // A number too large for a double ("1e999").
    throw Error(Position{source, 0, 0, false}, std::string("not valid JSON: ") + e.what());
  }
  return profile_from_json(doc, source);
}

Profile load_profile_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(Position{path, 0, 0, false}, "cannot open the profile file");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_profile_text(text.str(), path);
}

std::vector<Profile> resolve_profiles(const std::string& names,
                                      const std::vector<std::string>& files) {
  std::vector<Profile> out;
  std::string_view rest = names;
  while (!rest.empty()) {
    const std::size_t comma = rest.find(',');
    std::string_view name = rest.substr(0, comma);
    rest = comma == std::string_view::npos ? std::string_view{} : rest.substr(comma + 1);
    while (!name.empty() && name.front() == ' ') name.remove_prefix(1);
    while (!name.empty() && name.back() == ' ') name.remove_suffix(1);
    if (name.empty()) throw Error("option '--profile': an empty profile name in \"" + names + "\"");
    out.push_back(model::builtin_profile(std::string(name)));
  }
  for (const std::string& f : files) out.push_back(load_profile_file(f));
  if (out.empty()) out.push_back(model::builtin_profile(model::kDefaultProfile));
  for (std::size_t i = 0; i < out.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) {
      if (out[i].name == out[j].name) throw Error("profile '" + out[i].name + "' is given twice");
    }
  }
  return out;
}

}  // namespace fragreplay::cli
