# mmseg's runtime, plus the import that registers this toolkit's models.
_base_ = 'mmseg::_base_/default_runtime.py'
custom_imports = dict(imports=['mmplugins'], allow_failed_imports=False)
