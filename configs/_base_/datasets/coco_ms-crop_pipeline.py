# The multi-scale + crop training pipeline of the Swin detection configs ("mstrain_480-800"
# with the DETR-style random crop), used by the 3x schedules. A config inherits this file next
# to its dataset and assigns
#   train_dataloader = dict(dataset=dict(pipeline={{_base_.ms_crop_train_pipeline}}))
_scales = [(1333, s) for s in range(480, 801, 32)]
ms_crop_train_pipeline = [
    dict(type='LoadImageFromFile', backend_args=None),
    dict(type='LoadAnnotations', with_bbox=True, with_mask=True),
    dict(type='RandomFlip', prob=0.5),
    dict(type='RandomChoice', transforms=[
        [dict(type='RandomChoiceResize', scales=_scales, keep_ratio=True)],
        [dict(type='RandomChoiceResize', scales=[(4200, 400), (4200, 500), (4200, 600)],
              keep_ratio=True),
         dict(type='RandomCrop', crop_type='absolute_range', crop_size=(384, 600),
              allow_negative_crop=True),
         dict(type='RandomChoiceResize', scales=_scales, keep_ratio=True)],
    ]),
    dict(type='PackDetInputs')
]
