// The app's icons, from @tabler/icons-react, under the names the screens use for what they mean (IconInbound, not
// IconArrowDownLeft): choosing another glyph for a concept is a one-line change here. Each keeps the app's default
// size and stroke (18 px, 1.8) and is hidden from assistive technology; a control or LabelledIcon carries the label.
import {
  IconArchive as TablerArchive,
  IconArrowDownLeft,
  IconArrowLeft as TablerArrowLeft,
  IconArrowUpRight,
  IconArrowsHorizontal,
  IconArrowsLeftRight,
  IconBell as TablerBell,
  IconBellRinging,
  IconBookmark as TablerBookmark,
  IconBroadcast,
  IconChartBar,
  IconLayoutDashboard,
  IconCheck as TablerCheck,
  IconChevronDown as TablerChevronDown,
  IconChevronRight as TablerChevronRight,
  IconChevronUp as TablerChevronUp,
  IconClipboardCheck,
  IconColumns as TablerColumns,
  IconClock as TablerClock,
  IconCopy as TablerCopy,
  IconDeviceDesktop,
  IconDots as TablerDots,
  IconDownload as TablerDownload,
  IconExternalLink,
  IconFilter as TablerFilter,
  IconHelp as TablerHelp,
  IconKey as TablerKey,
  IconKeyboard as TablerKeyboard,
  IconLanguage as TablerLanguage,
  IconLink as TablerLink,
  IconLock as TablerLock,
  IconLogout as TablerLogout,
  IconMail as TablerMail,
  IconMessage,
  IconMessageCircle,
  IconMessages,
  IconPaperclip as TablerPaperclip,
  IconPencil,
  IconPhone as TablerPhone,
  IconPin as TablerPin,
  IconPlayerPause,
  IconPlayerPlay,
  IconPlus as TablerPlus,
  IconRefresh as TablerRefresh,
  IconRestore,
  IconRewindBackward5,
  IconRewindBackward10,
  IconRewindForward10,
  IconSearch as TablerSearch,
  IconShieldCheck,
  IconSpeakerphone,
  IconTag as TablerTag,
  IconTrash as TablerTrash,
  IconUpload as TablerUpload,
  IconVolume as TablerVolume,
  IconVolumeOff as TablerVolumeOff,
  IconWaveSine,
  IconX,
  IconZoomIn as TablerZoomIn,
  IconZoomOut as TablerZoomOut,
  type TablerIcon,
} from '@tabler/icons-react';

interface IconProps {
  size?: number;
  stroke?: number;
}

function icon(Glyph: TablerIcon) {
  return function Icon({ size = 18, stroke = 1.8 }: IconProps) {
    return <Glyph size={size} stroke={stroke} aria-hidden="true" />;
  };
}

// Administration → Tags: archive a tag or category (kept where applied, not offered anymore).
export const IconArchive = icon(TablerArchive);

// Navigation and account.
export const IconConversations = icon(IconMessages);
export const IconQuality = icon(IconClipboardCheck);
export const IconReports = icon(IconChartBar);
export const IconDashboard = icon(IconLayoutDashboard);
export const IconLive = icon(IconBroadcast);
export const IconAdmin = icon(IconShieldCheck);
export const IconLogout = icon(TablerLogout);
export const IconKey = icon(TablerKey);
export const IconLock = icon(TablerLock);
export const IconLanguage = icon(TablerLanguage);
export const IconClock = icon(TablerClock);
export const IconLogo = icon(IconWaveSine);

// Actions.
export const IconChevronDown = icon(TablerChevronDown);
export const IconChevronRight = icon(TablerChevronRight);
export const IconChevronUp = icon(TablerChevronUp);
export const IconPlus = icon(TablerPlus);
export const IconSearch = icon(TablerSearch);
export const IconEdit = icon(IconPencil);
export const IconTrash = icon(TablerTrash);
export const IconCheck = icon(TablerCheck);
export const IconCopy = icon(TablerCopy);
export const IconRefresh = icon(TablerRefresh);
export const IconDots = icon(TablerDots);
export const IconDownload = icon(TablerDownload);
export const IconUpload = icon(TablerUpload);
export const IconLink = icon(TablerLink);
export const IconPin = icon(TablerPin);
export const IconPaperclip = icon(TablerPaperclip);
export const IconArrowLeft = icon(TablerArrowLeft);
export const IconOpen = icon(IconExternalLink);
export const IconClose = icon(IconX);
export const IconBookmark = icon(TablerBookmark);
export const IconHelp = icon(TablerHelp);
export const IconKeyboard = icon(TablerKeyboard);
export const IconReset = icon(IconRestore);
export const IconFilter = icon(TablerFilter);
export const IconColumns = icon(TablerColumns);

// Conversations: direction, channels, annotations.
export const IconInbound = icon(IconArrowDownLeft);
export const IconOutbound = icon(IconArrowUpRight);
export const IconInternal = icon(IconArrowsLeftRight);
export const IconPhone = icon(TablerPhone);
export const IconChat = icon(IconMessageCircle);
export const IconMail = icon(TablerMail);
export const IconMonitor = icon(IconDeviceDesktop);
export const IconTag = icon(TablerTag);
export const IconComment = icon(IconMessage);
export const IconSpeechTag = icon(IconSpeakerphone);

// The player's controls.
export const IconPlay = icon(IconPlayerPlay);
export const IconPause = icon(IconPlayerPause);
export const IconVolume = icon(TablerVolume);
export const IconVolumeOff = icon(TablerVolumeOff);
export const IconRewind = icon(IconRewindBackward5);
export const IconSkipBack = icon(IconRewindBackward10);
export const IconSkipForward = icon(IconRewindForward10);
export const IconZoomIn = icon(TablerZoomIn);
export const IconZoomOut = icon(TablerZoomOut);
export const IconFollow = icon(IconArrowsHorizontal);

// Insights (issue 10).
export const IconBell = icon(TablerBell);
export const IconSubscribed = icon(IconBellRinging);
