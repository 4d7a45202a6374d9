# The multi-scale + crop training pipeline of the Swin detection configs ("mstrain_480-800"
# with the DETR-style random crop), used by the 3x schedules. A config inherits this file next
# to its dataset and assigns
#   train_dataloader = dict(dataset=dict(pipeline={{_base_.ms_crop_train_pipeline}}))
# The crop branch first resizes to a short side of 400/500/600 with the long side capped at 1333,
# as released (Swin-Transformer-Object-Detection mask_rcnn_swin_tiny_patch4_window7_mstrain_480-
# 800_adamw_3x_coco.py img_scale=[(400, 1333), ...]; mmdet's swin ms-crop-3x config).
_scales = [(1333, s) for s in range(480, 801, 32)]
# the random choice between the two branches alone, for recipes that put more steps around it
# (the QSD-Transformer configs resize to (853, 512) first)
ms_crop_choice = dict(type='RandomChoice', transforms=[
    [dict(type='RandomChoiceResize', scales=_scales, keep_ratio=True)],
    [dict(type='RandomChoiceResize', scales=[(400, 1333), (500, 1333), (600, 1333)],
          keep_ratio=True),
     dict(type='RandomCrop', crop_type='absolute_range', crop_size=(384, 600),
          allow_negative_crop=True),
     dict(type='RandomChoiceResize', scales=_scales, keep_ratio=True)],
])
ms_crop_train_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='RandomFlip', prob=0.5),
    ms_crop_choice,
    dict(type='PackDetInputs')
]
