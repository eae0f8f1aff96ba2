"""Open Referral UK 3.0: the read API, import, export and harvesting."""
