"""hwc_emulator: a local emulator of the Huawei Cloud APIs hwcloud.migration reads."""

__version__ = '0.1.0'
