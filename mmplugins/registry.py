"""The ``mmplugins`` registry scope.

Each registry is a child of mmengine's root registry, the arrangement mmpretrain and mmdet use,
so a config of mmdet or mmseg can name ``type='mmplugins.SwinTransformer'`` and the registry
imports this package on demand. Inner blocks of the models are plain classes, not registry
look-ups, so they build the same under any default scope.

The scope is a plugin, not a library of its own: it has no detector, transform or metric of its
own for most names a config uses. When mmengine runs a build in the ``mmplugins`` scope (it does
so for every typed dict of a config inherited as ``mmplugins::...``, as it does for
``mmdet::...``), a name the scope does not define resolves in the *host* library, the default
scope of the run (``mmdet`` or ``mmseg``), before mmengine's root: so ``type='FPN'`` in such a
config is mmdet's FPN in a detector and mmseg's in a segmentor, exactly as in the config's own
repository.
"""
from typing import Optional, Type

import mmengine.registry as root
from mmengine.registry import DefaultScope, Registry

SCOPE = 'mmplugins'


def host_scope() -> Optional[str]:
    """The scope of the run that hosts the plugin: the newest default scope that is not
    ``mmplugins`` (mmengine pushes ``mmplugins`` on top while it builds a config node of ours)."""
    for instance in reversed(list(DefaultScope._instance_dict.values())):
        if instance.scope_name != SCOPE:
            return instance.scope_name
    return None


class PluginRegistry(Registry):
    """A child registry that resolves unscoped names it lacks in the host library first."""

    def get(self, key: str) -> Optional[Type]:
        if isinstance(key, str) and '.' not in key:
            self.import_from_location()
            host = None if key in self._module_dict else host_scope()
            if host not in (None, SCOPE, self.parent.scope):
                host_registry = self.parent._search_child(host)
                found = host_registry.get(key) if host_registry is not None else None
                if found is not None:
                    return found
        return super().get(key)


def _child(parent: Registry, *locations: str) -> PluginRegistry:
    return PluginRegistry(parent.name, parent=parent, scope=SCOPE, locations=list(locations))


MODELS = _child(root.MODELS, 'mmplugins.models')
HOOKS = _child(root.HOOKS, 'mmplugins.engine')
OPTIM_WRAPPER_CONSTRUCTORS = _child(root.OPTIM_WRAPPER_CONSTRUCTORS, 'mmplugins.engine')
# the validating dataset classes (mmplugins.CocoDataset, ...); they build their pipelines
# under the config's default scope, so mmdet/mmseg transforms resolve as usual
DATASETS = _child(root.DATASETS, 'mmplugins.datasets')
VISUALIZERS = _child(root.VISUALIZERS, 'mmplugins.visualization')
# registries where the plugin defines nothing: present so that builds in the mmplugins scope
# reach the host library instead of mmengine's root
RUNNERS = _child(root.RUNNERS)
RUNNER_CONSTRUCTORS = _child(root.RUNNER_CONSTRUCTORS)
LOOPS = _child(root.LOOPS)
DATA_SAMPLERS = _child(root.DATA_SAMPLERS)
TRANSFORMS = _child(root.TRANSFORMS)
MODEL_WRAPPERS = _child(root.MODEL_WRAPPERS)
WEIGHT_INITIALIZERS = _child(root.WEIGHT_INITIALIZERS)
OPTIMIZERS = _child(root.OPTIMIZERS)
OPTIM_WRAPPERS = _child(root.OPTIM_WRAPPERS)
PARAM_SCHEDULERS = _child(root.PARAM_SCHEDULERS)
METRICS = _child(root.METRICS)
EVALUATOR = _child(root.EVALUATOR)
TASK_UTILS = _child(root.TASK_UTILS)
VISBACKENDS = _child(root.VISBACKENDS)
LOG_PROCESSORS = _child(root.LOG_PROCESSORS)
INFERENCERS = _child(root.INFERENCERS)
FUNCTIONS = _child(root.FUNCTIONS)
