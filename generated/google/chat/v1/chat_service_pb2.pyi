from google.api import annotations_pb2 as _annotations_pb2
from google.api import client_pb2 as _client_pb2
from google.chat.v1 import attachment_pb2 as _attachment_pb2
from google.chat.v1 import availability_pb2 as _availability_pb2
from google.chat.v1 import membership_pb2 as _membership_pb2
from google.chat.v1 import message_pb2 as _message_pb2
from google.chat.v1 import message_pin_pb2 as _message_pin_pb2
from google.chat.v1 import reaction_pb2 as _reaction_pb2
from google.chat.v1 import section_pb2 as _section_pb2
from google.chat.v1 import space_pb2 as _space_pb2
from google.chat.v1 import space_event_pb2 as _space_event_pb2
from google.chat.v1 import space_notification_setting_pb2 as _space_notification_setting_pb2
from google.chat.v1 import space_read_state_pb2 as _space_read_state_pb2
from google.chat.v1 import space_setup_pb2 as _space_setup_pb2
from google.chat.v1 import thread_read_state_pb2 as _thread_read_state_pb2
from google.protobuf import empty_pb2 as _empty_pb2
from google.protobuf import descriptor as _descriptor
from typing import ClassVar as _ClassVar

DESCRIPTOR: _descriptor.FileDescriptor
