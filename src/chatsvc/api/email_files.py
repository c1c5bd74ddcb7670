"""chatsvc.campaigns.v1 RPCs: UploadAttachment."""
from __future__ import annotations


class EmailFilesApi:
    """Mixed into the CampaignService servicer."""
