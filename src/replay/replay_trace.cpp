// Replaying a reader: the functions of engine.hpp and trace_context.hpp that take a TraceReader.
// The engine itself sees only a TraceContext; what a reader learnt about its input besides the
// events (its name and format, bad lines, ignored records and fields) is copied into the Results
// here, once the reader is done.
#include <optional>
#include <vector>

#include "replay/engine.hpp"
#include "replay/trace_context.hpp"
#include "trace/trace_reader.hpp"

namespace fragreplay::replay {
namespace {

void record_input(const trace::TraceReader& reader, Results& results) {
  results.trace_name = reader.name();
  results.trace_format = std::string(reader.format());
  DataQuality& q = results.data_quality;
  const trace::BadLines& bad = reader.bad_lines();
  q.bad_lines = bad.count;
  q.first_bad_lines.clear();
  for (const auto& b : bad.first) q.first_bad_lines.push_back({b.position, b.message});
  const trace::IgnoredRecords& ignored = reader.ignored();
  q.ignored_records = ignored.total;
  q.ignored_by_kind.clear();
  for (const auto& k : ignored.by_kind) q.ignored_by_kind.push_back({k.name, k.count});
  q.ignored_fields = 0;
  q.ignored_fields_by_column.clear();
  for (auto& f : reader.ignored_fields()) {
    q.ignored_fields += f.count;
    q.ignored_fields_by_column.push_back(
        {std::move(f.column), std::move(f.routine), f.count, f.first_line});
  }
}

}  // namespace

TraceContext trace_context(const trace::TraceReader& reader) {
  return TraceContext{reader.strings(), reader.adapters(), reader.code()};
}

Results finish_replay(Engine& engine, const trace::TraceReader& reader) {
  Results results = engine.finish(trace_context(reader));
  record_input(reader, results);
  return results;
}

Results replay_with_engine(trace::TraceReader& reader, model::Machine& machine,
                           const ReplayOptions& options, EventObserver* observer,
                           const std::function<void(Engine&)>& replay) {
  Engine engine(machine, options);
  engine.set_observer(observer);
  std::optional<Sampler> sampler;
  if (options.sampling) {
    sampler.emplace(machine, *options.sampling);
    engine.set_sampler(&*sampler);
  }
  replay(engine);
  return finish_replay(engine, reader);
}

Results replay_trace(trace::TraceReader& reader, model::Machine& machine,
                     const ReplayOptions& options, EventObserver* observer,
                     const std::function<void(const Engine&)>& on_batch) {
  return replay_with_engine(reader, machine, options, observer, [&](Engine& engine) {
    std::vector<trace::Event> batch(4096);
    const TraceContext context = trace_context(reader);
    while (true) {
      const std::size_t n = reader.read(batch);
      if (n == 0) break;
      engine.replay(std::span<const trace::Event>(batch.data(), n), context);
      if (on_batch) on_batch(engine);
      if (engine.stopped()) break;
    }
  });
}

}  // namespace fragreplay::replay
