// A few stroke icons drawn inline (24×24 grid), so the UI needs no icon package.
import type { ReactNode } from 'react';

interface IconProps {
  size?: number;
  stroke?: number;
}

function icon(paths: ReactNode) {
  return function Icon({ size = 18, stroke = 1.8 }: IconProps) {
    return (
      <svg
        width={size}
        height={size}
        viewBox="0 0 24 24"
        fill="none"
        stroke="currentColor"
        strokeWidth={stroke}
        strokeLinecap="round"
        strokeLinejoin="round"
        aria-hidden="true"
      >
        {paths}
      </svg>
    );
  };
}

export const IconConversations = icon(
  <>
    <path d="M4 17V6a2 2 0 0 1 2-2h9a2 2 0 0 1 2 2v6a2 2 0 0 1-2 2H8z" />
    <path d="M17 9h1a2 2 0 0 1 2 2v9l-3-3h-6a2 2 0 0 1-2-2v-1" />
  </>,
);
export const IconQuality = icon(
  <>
    <path d="M9 5H7a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2V7a2 2 0 0 0-2-2h-2" />
    <rect x="9" y="3" width="6" height="4" rx="1" />
    <path d="m9 14 2 2 4-4" />
  </>,
);
export const IconReports = icon(
  <>
    <path d="M4 20h16" />
    <path d="M7 16v-4M12 16V8M17 16v-7" />
  </>,
);
export const IconLive = icon(
  <>
    <circle cx="12" cy="12" r="2" />
    <path d="M16.2 7.8a6 6 0 0 1 0 8.4M7.8 16.2a6 6 0 0 1 0-8.4M19 5a10 10 0 0 1 0 14M5 19A10 10 0 0 1 5 5" />
  </>,
);
export const IconAdmin = icon(
  <>
    <path d="M12 3 4 6v6c0 5 3.4 8 8 9 4.6-1 8-4 8-9V6z" />
    <path d="m9 12 2 2 4-4" />
  </>,
);
export const IconLogout = icon(
  <>
    <path d="M14 8V6a2 2 0 0 0-2-2H5a2 2 0 0 0-2 2v12a2 2 0 0 0 2 2h7a2 2 0 0 0 2-2v-2" />
    <path d="M9 12h12l-3-3M18 15l3-3" />
  </>,
);
export const IconKey = icon(
  <>
    <circle cx="8" cy="15" r="4" />
    <path d="m10.8 12.2 8.2-8.2M16 7l2 2M14 9l1.5 1.5" />
  </>,
);
export const IconLock = icon(
  <>
    <rect x="5" y="11" width="14" height="10" rx="2" />
    <path d="M8 11V7a4 4 0 0 1 8 0v4" />
  </>,
);
export const IconLanguage = icon(
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="M3.6 9h16.8M3.6 15h16.8M12 3a15 15 0 0 1 0 18M12 3a15 15 0 0 0 0 18" />
  </>,
);
export const IconChevronDown = icon(<path d="m6 9 6 6 6-6" />);
export const IconChevronRight = icon(<path d="m9 6 6 6-6 6" />);
export const IconPlus = icon(<path d="M12 5v14M5 12h14" />);
export const IconSearch = icon(
  <>
    <circle cx="10" cy="10" r="7" />
    <path d="m21 21-6-6" />
  </>,
);
export const IconEdit = icon(
  <>
    <path d="M4 20h4L18.5 9.5a2.8 2.8 0 0 0-4-4L4 16z" />
    <path d="m13.5 6.5 4 4" />
  </>,
);
export const IconTrash = icon(
  <>
    <path d="M4 7h16M10 11v6M14 11v6" />
    <path d="M5 7l1 12a2 2 0 0 0 2 2h8a2 2 0 0 0 2-2l1-12M9 7V4h6v3" />
  </>,
);
export const IconCheck = icon(<path d="m5 12 5 5L20 7" />);
export const IconCopy = icon(
  <>
    <rect x="8" y="8" width="12" height="12" rx="2" />
    <path d="M16 8V6a2 2 0 0 0-2-2H6a2 2 0 0 0-2 2v8a2 2 0 0 0 2 2h2" />
  </>,
);
export const IconRefresh = icon(
  <>
    <path d="M20 11A8 8 0 0 0 5.5 7M4 4v4h4" />
    <path d="M4 13a8 8 0 0 0 14.5 4M20 20v-4h-4" />
  </>,
);
export const IconDots = icon(
  <>
    <circle cx="5" cy="12" r="1" />
    <circle cx="12" cy="12" r="1" />
    <circle cx="19" cy="12" r="1" />
  </>,
);
export const IconLogo = icon(<path d="M5 14v-4M9 18V6M13 15V9M17 19V5M21 14v-4" />);
export const IconInbound = icon(<path d="M17 7 7 17M16 17H7V8" />);
export const IconOutbound = icon(<path d="M7 17 17 7M8 7h9v9" />);
export const IconInternal = icon(<path d="M4 9h14l-3-3M20 15H6l3 3" />);
export const IconPhone = icon(
  <path d="M5 4h4l2 5-2.5 1.5a11 11 0 0 0 5 5L15 13l5 2v4a2 2 0 0 1-2 2A16 16 0 0 1 3 6a2 2 0 0 1 2-2" />,
);
export const IconChat = icon(<path d="M20 12a8 8 0 0 1-11.8 7L4 20l1-4.2A8 8 0 1 1 20 12z" />);
export const IconMail = icon(
  <>
    <rect x="3" y="5" width="18" height="14" rx="2" />
    <path d="m3 7 9 6 9-6" />
  </>,
);
export const IconMonitor = icon(
  <>
    <rect x="3" y="4" width="18" height="12" rx="2" />
    <path d="M8 20h8M12 16v4" />
  </>,
);
export const IconTag = icon(
  <>
    <path d="M3 12V4a1 1 0 0 1 1-1h8l9 9-9 9z" />
    <circle cx="8" cy="8" r="1.5" />
  </>,
);
export const IconComment = icon(<path d="M4 5h16v11H9l-5 4z" />);
export const IconDownload = icon(<path d="M12 4v11M7 10l5 5 5-5M5 20h14" />);
export const IconLink = icon(
  <>
    <path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" />
    <path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" />
  </>,
);
export const IconPin = icon(<path d="M9 4h6l-1 6 3 3H7l3-3zM12 13v7" />);
export const IconPlay = icon(<path d="M7 5v14l12-7z" />);
export const IconPaperclip = icon(<path d="m20 11-8.5 8.5a5 5 0 0 1-7-7L13 4a3.5 3.5 0 0 1 5 5l-8.5 8.5a2 2 0 0 1-3-3L14 7" />);
export const IconArrowLeft = icon(<path d="M19 12H5M11 6l-6 6 6 6" />);
export const IconOpen = icon(<path d="M14 4h6v6M20 4l-9 9M18 14v5a1 1 0 0 1-1 1H5a1 1 0 0 1-1-1V7a1 1 0 0 1 1-1h5" />);
export const IconClose = icon(<path d="M6 6l12 12M18 6 6 18" />);
export const IconPause = icon(<path d="M9 5v14M15 5v14" />);
export const IconBookmark = icon(<path d="M7 4h10a1 1 0 0 1 1 1v15l-6-4-6 4V5a1 1 0 0 1 1-1z" />);
export const IconHelp = icon(
  <>
    <circle cx="12" cy="12" r="9" />
    <path d="M9.5 9.5a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.6V14M12 17.5v.01" />
  </>,
);
export const IconReset = icon(<path d="M4 4v5h5M4.6 15A8 8 0 1 0 6 6.3L4 9" />);
export const IconFilter = icon(<path d="M4 5h16l-6 8v6l-4-2v-4z" />);
// The player's controls.
export const IconVolume = icon(
  <>
    <path d="M4 9v6h4l5 4V5L8 9z" />
    <path d="M16 9a4 4 0 0 1 0 6M18.5 6.5a8 8 0 0 1 0 11" />
  </>,
);
export const IconVolumeOff = icon(
  <>
    <path d="M4 9v6h4l5 4V5L8 9z" />
    <path d="m17 10 4 4M21 10l-4 4" />
  </>,
);
export const IconRewind = icon(
  <>
    <path d="M4 5v5h5" />
    <path d="M4.6 10A8 8 0 1 1 5 15" />
  </>,
);
export const IconSkipBack = icon(<path d="M11 7 5 12l6 5zM19 7l-6 5 6 5z" />);
export const IconSkipForward = icon(<path d="m13 7 6 5-6 5zM5 7l6 5-6 5z" />);
export const IconZoomIn = icon(
  <>
    <circle cx="10.5" cy="10.5" r="6.5" />
    <path d="m20 20-4.6-4.6M8 10.5h5M10.5 8v5" />
  </>,
);
export const IconZoomOut = icon(
  <>
    <circle cx="10.5" cy="10.5" r="6.5" />
    <path d="m20 20-4.6-4.6M8 10.5h5" />
  </>,
);
export const IconFollow = icon(<path d="M12 4v16M5 9l-3 3 3 3M19 9l3 3-3 3" />);
