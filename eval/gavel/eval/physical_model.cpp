#include "gavel/eval/physical_model.hpp"

#include "gavel/core/error.hpp"
#include "gavel/core/execution_spaces.hpp"
#include "gavel/surrogates/load_model.hpp"
#include "gavel/surrogates/normalized_model.hpp"

namespace gavel::eval {

std::optional<datasets::WellNormalization> normalization_of(const ModelRequest& request,
                                                            const datasets::WellDatasetFolder& data,
                                                            const datasets::WellFileInfo& info) {
  if (request.normalization == "none") {
    if (request.delta)
      throw Error("--delta needs normalization statistics (the change is denormalized with the _delta statistics)");
    return std::nullopt;
  }
  if (!data.stats) throw Error(data.root + ": no stats.yaml for --normalization " + request.normalization);
  return datasets::well_normalization(*data.stats, info, datasets::parse_normalization_kind(request.normalization));
}

template <class ExecSpace>
std::shared_ptr<surrogates::Model<ExecSpace>> load_physical_model(const ModelRequest& request,
                                                                  const datasets::WellDatasetFolder& data,
                                                                  const datasets::WellFileInfo& info) {
  std::shared_ptr<surrogates::Model<ExecSpace>> model =
      surrogates::load_model<ExecSpace>(request.path, request.architecture);
  // The dimension first: a model of another dimension mismatches the channels too, but that is not the news.
  if (model->spatial_dims() != info.ndim())
    throw Error(request.path + ": a " + std::to_string(model->spatial_dims()) + "-D model on " +
                std::to_string(info.ndim()) + "-D data");
  const auto norm = normalization_of(request, data, info);
  if (!norm) return model;
  const auto& out = request.delta ? norm->delta : norm->variable;
  return std::make_shared<surrogates::NormalizedModel<ExecSpace>>(
      model, request.n_steps_input, surrogates::AffineChannels{norm->variable.shift, norm->variable.scale},
      surrogates::AffineChannels{norm->constant.shift, norm->constant.scale},
      surrogates::AffineChannels{out.shift, out.scale}, request.delta);
}

#define GAVEL_INSTANTIATE_PHYSICAL_MODEL(SPACE)                                  \
  template std::shared_ptr<surrogates::Model<SPACE>> load_physical_model<SPACE>( \
      const ModelRequest&, const datasets::WellDatasetFolder&, const datasets::WellFileInfo&);
GAVEL_FOR_EACH_ENABLED_SPACE(GAVEL_INSTANTIATE_PHYSICAL_MODEL)

}  // namespace gavel::eval
