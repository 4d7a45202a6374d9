# ADE20K at the standard path data/ade/ADEChallengeData2016 (mmseg's 512x512 pipeline).
_base_ = 'mmseg::_base_/datasets/ade20k.py'
