# Cascade Mask R-CNN with FPN, as used by the Swin/HorNet/RMT papers: 4conv1fc box heads with
# GIoU loss in the three stages. Model configs replace the backbone (with _delete_=True) and
# write the neck's in_channels for it.
_base_ = 'mmdet::_base_/models/cascade-mask-rcnn_r50_fpn.py'
_head_norm = dict(type='SyncBN', requires_grad=True)


def _stage(stds):
    return dict(
        type='ConvFCBBoxHead', num_shared_convs=4, num_shared_fcs=1, in_channels=256,
        conv_out_channels=256, fc_out_channels=1024, roi_feat_size=7, num_classes=80,
        bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[0., 0., 0., 0.],
                        target_stds=stds),
        reg_class_agnostic=False, reg_decoded_bbox=True, norm_cfg=_head_norm,
        loss_cls=dict(type='CrossEntropyLoss', use_sigmoid=False, loss_weight=1.0),
        loss_bbox=dict(type='GIoULoss', loss_weight=10.0))


model = dict(
    backbone=dict(init_cfg=None),
    roi_head=dict(bbox_head=[_stage([0.1, 0.1, 0.2, 0.2]), _stage([0.05, 0.05, 0.1, 0.1]),
                             _stage([0.033, 0.033, 0.067, 0.067])]))
# the same three heads with a spiking neuron before every conv/fc (the QSD release's Cascade
# Mask R-CNN); a spiking config assigns them with bbox_head={{_base_.spike_cascade_bbox_heads}}
spike_cascade_bbox_heads = [dict(h, type='mmplugins.SpikeConvFCBBoxHead')
                            for h in model['roi_head']['bbox_head']]
