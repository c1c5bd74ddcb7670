"""The HTTP surface on one port: REST transcoding of every RPC from its google.api.http rule, discovery
documents, incoming webhooks, media, OAuth callbacks. Calls reach the domain through the same gate as gRPC."""
