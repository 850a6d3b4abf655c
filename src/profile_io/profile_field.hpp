// One row of the table of profile keys (profile_fields.hpp): a key, its one-line meaning, and how
// its value is read from a Profile and written into one, with the builders rows are written with
// (numbers, booleans, strings, enumerations by name, arrays of records). Internal to profile_io.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "base/size_text.hpp"
#include "model/profile.hpp"

namespace fragreplay::cli::profile_fields {

using model::Profile;
using Json = nlohmann::json;
using OrderedJson = nlohmann::ordered_json;

// A bad value; the caller adds the source and the key.
struct BadValue {
  std::string expected;
};

struct Field {
  std::string key;  // "name" or "group.name"
  std::string doc;
  std::function<OrderedJson(const Profile&)> get;
  std::function<void(Profile&, const Json&)> set;
};

inline std::uint64_t to_u64(const Json& v) {
  if (v.is_number_unsigned()) return v.get<std::uint64_t>();
  if (v.is_string()) {
    if (const auto n = parse_size_value(v.get<std::string>())) return *n;
  }
  throw BadValue{"an unsigned integer (or a string such as \"0xFE0\" or \"4GiB\")"};
}

template <typename Access>
Field number(std::string key, std::string doc, Access access) {
  return Field{std::move(key), std::move(doc),
               [access](const Profile& p) { return OrderedJson(access(p)); },
               [access](Profile& p, const Json& v) {
                 auto& target = access(p);
                 const std::uint64_t n = to_u64(v);
                 using T = std::remove_reference_t<decltype(target)>;
                 if (n > std::numeric_limits<T>::max()) throw BadValue{"a smaller number"};
                 target = static_cast<T>(n);
               }};
}

template <typename Access>
Field boolean(std::string key, std::string doc, Access access) {
  return Field{std::move(key), std::move(doc),
               [access](const Profile& p) { return OrderedJson(access(p)); },
               [access](Profile& p, const Json& v) {
                 if (!v.is_boolean()) throw BadValue{"true or false"};
                 access(p) = v.get<bool>();
               }};
}

template <typename Access>
Field text(std::string key, std::string doc, Access access) {
  return Field{std::move(key), std::move(doc),
               [access](const Profile& p) { return OrderedJson(access(p)); },
               [access](Profile& p, const Json& v) {
                 if (!v.is_string()) throw BadValue{"a string"};
                 access(p) = v.get<std::string>();
               }};
}

template <typename E, std::size_t N, typename Access>
Field choice(std::string key, std::string doc, Access access, std::array<E, N> values,
             const char* (*name)(E)) {
  std::string names;
  for (const E e : values) names += std::string(names.empty() ? "" : ", ") + name(e);
  doc += " (" + names + ")";
  return Field{std::move(key), std::move(doc),
               [access, name](const Profile& p) { return OrderedJson(name(access(p))); },
               [access, values, name, names](Profile& p, const Json& v) {
                 if (v.is_string()) {
                   for (const E e : values) {
                     if (v.get<std::string>() == name(e)) {
                       access(p) = e;
                       return;
                     }
                   }
                 }
                 throw BadValue{"one of " + names};
               }};
}

// An array of objects whose members are all unsigned numbers, held as a vector of structs.
template <typename T, typename Access>
Field records(std::string key, std::string doc, Access access,
              std::vector<std::pair<std::string, std::function<std::uint64_t&(T&)>>> members) {
  return Field{
      std::move(key), std::move(doc),
      [access, members](const Profile& p) {
        OrderedJson out = OrderedJson::array();
        for (T item : access(p)) {
          OrderedJson o;
          for (const auto& [name, member] : members) o[name] = member(item);
          out.push_back(std::move(o));
        }
        return out;
      },
      [access, members](Profile& p, const Json& v) {
        std::string shape;
        for (const auto& m : members) shape += (shape.empty() ? "" : ", ") + m.first;
        const BadValue bad{"an array of objects with " + shape};
        if (!v.is_array()) throw bad;
        auto& target = access(p);
        if constexpr (requires { target.resize(0); }) {
          target.resize(v.size());
        } else if (v.size() != target.size()) {
          throw BadValue{"an array of " + std::to_string(target.size()) + " objects with " + shape};
        }
        for (std::size_t i = 0; i < v.size(); ++i) {
          if (!v[i].is_object() || v[i].size() != members.size()) throw bad;
          for (const auto& [name, member] : members) {
            if (!v[i].contains(name)) throw bad;
            member(target[i]) = to_u64(v[i][name]);
          }
        }
      }};
}

}  // namespace fragreplay::cli::profile_fields
