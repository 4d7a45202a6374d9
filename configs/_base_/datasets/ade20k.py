# ADE20K at the standard path data/ade/ADEChallengeData2016 (mmseg's 512x512 pipeline).
_base_ = 'mmseg::_base_/datasets/ade20k.py'
# The library's dataset class plus checks that stop a bad json, a missing or truncated file,
# a size mismatch or a class id outside the metainfo with the file and entry named (see
# mmplugins/datasets/validation.py; `python tools/check_dataset.py CONFIG` runs them alone).
dataset_type = 'mmplugins.ADE20KDataset'
train_dataloader = dict(dataset=dict(type=dataset_type))
val_dataloader = dict(dataset=dict(type=dataset_type))
test_dataloader = val_dataloader
