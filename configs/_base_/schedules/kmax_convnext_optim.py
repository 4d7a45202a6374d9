# The optimizer of the released kMaX-DeepLab ConvNeXt models (kMaX-PT train_net.py
# build_optimizer): AdamW lr 5e-4, weight decay 0.05, backbone lr x0.1 and no weight decay on
# norms, biases, ConvNeXt's layer scale gamma, the axial relative position embeddings and the
# cluster centres. Every 1-D parameter of these models is a norm, bias or gamma, so the toolkit's
# constructor with no_decay_1d gives exactly that (with mmengine's custom_keys the 'backbone'
# key would override the norm/bias rule and decay the backbone's norms, biases and gammas).
# A kMaX ConvNeXt config inherits this file with its ResNet-50 counterpart and writes
# `optim_wrapper = {{_base_.kmax_convnext_optim_wrapper}}` (named apart from optim_wrapper,
# which the ResNet-50 config defines too).
kmax_convnext_optim_wrapper = dict(
    type='OptimWrapper',
    constructor='mmplugins.LayerDecayOptimWrapperConstructor',
    optimizer=dict(type='AdamW', lr=5e-4, weight_decay=0.05, betas=(0.9, 0.999), eps=1e-8),
    paramwise_cfg=dict(
        _delete_=True,
        no_decay_1d=True,
        no_decay_keys=['_rpe.', 'cluster_centers'],
        custom_keys={'backbone': dict(lr_mult=0.1)}))
