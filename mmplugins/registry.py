"""The ``mmplugins`` registry scope.

Each registry is a child of mmengine's root registry, the same arrangement mmpretrain uses, so a
config of mmdet or mmseg can name ``type='mmplugins.SwinTransformer'`` and the registry imports
this package on demand. Inner blocks of the models are plain classes, not registry look-ups, so
they build the same under any default scope.
"""
from mmengine.registry import DATASETS as MMENGINE_DATASETS
from mmengine.registry import HOOKS as MMENGINE_HOOKS
from mmengine.registry import MODELS as MMENGINE_MODELS
from mmengine.registry import \
    OPTIM_WRAPPER_CONSTRUCTORS as MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS
from mmengine.registry import Registry

MODELS = Registry('model', parent=MMENGINE_MODELS, scope='mmplugins',
                  locations=['mmplugins.models'])
HOOKS = Registry('hook', parent=MMENGINE_HOOKS, scope='mmplugins',
                 locations=['mmplugins.engine'])
OPTIM_WRAPPER_CONSTRUCTORS = Registry(
    'optimizer wrapper constructor', parent=MMENGINE_OPTIM_WRAPPER_CONSTRUCTORS,
    scope='mmplugins', locations=['mmplugins.engine'])
# the validating dataset classes (mmplugins.CocoDataset, ...); they build their pipelines
# under the config's default scope, so mmdet/mmseg transforms resolve as usual
DATASETS = Registry('dataset', parent=MMENGINE_DATASETS, scope='mmplugins',
                    locations=['mmplugins.datasets'])
