// Card icons without icon fonts (the CSP allows fonts from this origin only): Google's known icons and the common
// Material Symbols drawn as small line SVGs of our own, an icon URL as an image, any other name as a round badge
// with its initial. Every icon is named for assistive technology (altText, else the icon's name).
import { safeImage } from "./format";

const circle = (cx: number, cy: number, r: number) =>
  `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;
const PERSON = [circle(12, 8, 4), "M4 21c0-4.5 3.6-7 8-7s8 2.5 8 7"];
const PLANE = ["M2 13l3-1 3 3 4-1-4-9 3-1 7 8 4-1c1 0 1.5 1.5.5 2L5 18 2 13z"];
const ENVELOPE = ["M3 5h18v14H3z", "M3 6l9 7 9-7"];
const TICKET = ["M3 6h18v4a2 2 0 0 0 0 4v4H3v-4a2 2 0 0 0 0-4z", "M14 6v12"];
const CLOCK = [circle(12, 12, 9), "M12 7v5l3 2"];
const DOC = ["M6 2h8l4 4v16H6z", "M14 2v4h4", "M9 12h6M9 16h6"];
const SHAPES: Record<string, string[]> = {
  AIRPLANE: PLANE, FLIGHT_DEPARTURE: [...PLANE, "M3 21h18"], FLIGHT_ARRIVAL: ["M3 21h18", "M4 9l2-1 2 3 4 1-2-8 3 1 4 9 4 1c1 .3 1 1.7 0 2L4 15z"],
  BOOKMARK: ["M6 3h12v18l-6-4-6 4z"], BUS: ["M5 3h14v14H5z", "M5 11h14", circle(8, 19, 1.5), circle(16, 19, 1.5)],
  CAR: ["M3 16v-4l2-5h14l2 5v4z", "M3 12h18", circle(7, 17, 2), circle(17, 17, 2)], CLOCK,
  CONFIRMATION_NUMBER_ICON: TICKET, DESCRIPTION: DOC, DOLLAR: ["M16 7c-1-2-8-2.5-8 1s8 2 8 6-7 3-8 1", "M12 3v18"],
  EMAIL: ENVELOPE, EVENT_SEAT: ["M7 4h10v9H7z", "M5 13h14v3H5z", "M7 16v5M17 16v5"],
  HOTEL: ["M3 18V6", "M3 14h18v4", "M21 14v-2a3 3 0 0 0-3-3h-7v5", circle(7, 11, 2)],
  HOTEL_ROOM_TYPE: ["M3 21V9l9-6 9 6v12z", "M9 21v-6h6v6"], INVITE: [...ENVELOPE, "M18 1v6M15 4h6"],
  MAP_PIN: ["M12 22s7-7 7-12a7 7 0 0 0-14 0c0 5 7 12 7 12z", circle(12, 10, 2.5)],
  MEMBERSHIP: ["M3 5h18v14H3z", circle(8, 11, 2), "M5 16c.5-2 5.5-2 6 0", "M14 10h4M14 14h4"],
  MULTIPLE_PEOPLE: [circle(9, 8, 3.5), "M2 20c0-4 3-6 7-6s7 2 7 6", circle(17, 9, 2.5), "M17 14c3 0 5 2 5 5"],
  PERSON, PHONE: ["M5 3h4l2 5-3 2c1 2.5 3.5 5 6 6l2-3 5 2v4c0 1-1 2-2 2C10 21 3 14 3 5c0-1 1-2 2-2z"],
  RESTAURANT_ICON: ["M6 2v8a2 2 0 0 0 4 0V2M8 2v20", "M17 22V2c-2 1-3 4-3 8h3"],
  SHOPPING_CART: ["M2 3h3l3 12h11l2-8H6", circle(9, 19, 1.5), circle(18, 19, 1.5)],
  STAR: ["M12 3l2.7 5.8 6.3.7-4.7 4.3 1.3 6.2L12 16.8 6.4 20l1.3-6.2L3 9.5l6.3-.7z"],
  STORE: ["M3 9l2-5h14l2 5", "M3 9c0 3 6 3 6 0 0 3 6 3 6 0 0 3 6 3 6 0", "M5 12v9h14v-9", "M10 21v-5h4v5"],
  TICKET, TRAIN: ["M6 3h12v13H6z", "M6 10h12", circle(9, 13, 1), circle(15, 13, 1), "M8 16l-2 5M16 16l2 5"],
  VIDEO_CAMERA: ["M2 7h13v10H2z", "M15 11l6-4v10l-6-4"], VIDEO_PLAY: [circle(12, 12, 9), "M10 8l6 4-6 4z"],
};
// Material Symbols names drawn with the shapes above or a few more.
const MATERIAL: Record<string, string[]> = {
  add: ["M12 5v14M5 12h14"], check: ["M5 12l5 5 9-10"], check_circle: [circle(12, 12, 9), "M8 12l3 3 5-6"],
  done: ["M5 12l5 5 9-10"], close: ["M6 6l12 12M18 6L6 18"], delete: ["M5 7h14", "M9 7V4h6v3", "M7 7l1 14h8l1-14"],
  edit: ["M4 20l1-5L16 4l4 4L9 19z"], info: [circle(12, 12, 9), "M12 11v6M12 7v1"],
  warning: ["M12 3l10 18H2z", "M12 10v5M12 17v1"], error: [circle(12, 12, 9), "M12 7v6M12 16v1"],
  search: [circle(10, 10, 6), "M15 15l6 6"], link: ["M10 14l4-4", "M8 11l-2 2a3 3 0 0 0 5 5l2-2", "M16 13l2-2a3 3 0 0 0-5-5l-2 2"],
  open_in_new: ["M14 4h6v6M20 4l-9 9", "M18 14v6H4V6h6"], calendar_today: ["M4 5h16v16H4z", "M4 10h16", "M8 3v4M16 3v4"],
  event: ["M4 5h16v16H4z", "M4 10h16", "M8 3v4M16 3v4"], schedule: CLOCK, mail: ENVELOPE, email: ENVELOPE,
  person: PERSON, group: SHAPES.MULTIPLE_PEOPLE, call: SHAPES.PHONE, phone: SHAPES.PHONE, star: SHAPES.STAR,
  description: DOC, home: ["M3 11l9-8 9 8", "M5 9v12h14V9"], send: ["M3 20l18-8L3 4l2 8z", "M5 12h8"],
  refresh: ["M20 12a8 8 0 1 1-3-6.2", "M20 4v5h-5"], more_vert: [circle(12, 5, 1), circle(12, 12, 1), circle(12, 19, 1)],
  arrow_forward: ["M4 12h16M14 6l6 6-6 6"], arrow_back: ["M20 12H4M10 6l-6 6 6 6"],
  lock: ["M5 11h14v10H5z", "M8 11V7a4 4 0 0 1 8 0v4"], thumb_up: ["M7 10v11H3V10z", "M7 10l4-8c2 0 3 1 3 3v4h6l-2 12H7"],
  favorite: ["M12 20S3 14 3 8.5A4.5 4.5 0 0 1 12 6a4.5 4.5 0 0 1 9 2.5C21 14 12 20 12 20z"],
  notifications: ["M6 17V11a6 6 0 0 1 12 0v6l2 2H4z", "M10 21h4"], help: [circle(12, 12, 9), "M9.5 9a2.5 2.5 0 1 1 3.5 2.3c-.6.3-1 .9-1 1.7v1M12 17v1"],
  chat: ["M4 4h16v12H8l-4 4z"], download: ["M12 4v12M6 10l6 6 6-6", "M4 20h16"], upload: ["M12 20V8M6 14l6-6 6 6", "M4 4h16"],
  attach_file: ["M16 7l-7 7a2 2 0 0 0 3 3l7-7a4 4 0 0 0-6-6l-7 7a6 6 0 0 0 9 9l5-5"],
  visibility: ["M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z", circle(12, 12, 3)],
  settings: [circle(12, 12, 3), "M12 2v3M12 19v3M2 12h3M19 12h3M5 5l2 2M17 17l2 2M5 19l2-2M17 7l2-2"],
  bug_report: ["M8 8h8v9a4 4 0 0 1-8 0z", "M12 8v13M4 12h4M16 12h4M5 18l3-2M19 18l-3-2M9 5l1 3M15 5l-1 3"],
};

/** Renders an Icon {knownIcon | iconUrl | materialIcon, altText, imageType}. */
export function Icon({ icon }: { icon: any }) {
  if (!icon || typeof icon !== "object") return null;
  const alt = typeof icon.altText === "string" ? icon.altText : "";
  const round = icon.imageType === "CIRCLE" ? " card-icon-circle" : "";
  if (icon.iconUrl !== undefined) {
    const src = safeImage(icon.iconUrl);
    return src ? <img class={"card-icon" + round} src={src} alt={alt} />
      : <span class="card-icon card-icon-badge" role="img" aria-label={alt || "icon"}>?</span>;
  }
  const name: string = typeof icon.knownIcon === "string" ? icon.knownIcon
    : typeof icon.materialIcon?.name === "string" ? icon.materialIcon.name : "";
  const shape = icon.knownIcon ? SHAPES[name] : MATERIAL[name];
  const label = alt || name.toLowerCase().replace(/_/g, " ") || "icon";
  if (!shape) {
    return <span class={"card-icon card-icon-badge" + round} role="img" aria-label={label} title={label}
                 data-icon={name}>{(name[0] ?? "?").toUpperCase()}</span>;
  }
  return <svg class={"card-icon" + round} viewBox="0 0 24 24" role="img" aria-label={label} data-icon={name}
              fill={icon.materialIcon?.fill ? "currentColor" : "none"} stroke="currentColor" stroke-width="1.8"
              stroke-linecap="round" stroke-linejoin="round">
    <title>{label}</title>
    {shape.map((d, i) => <path key={i} d={d} />)}
  </svg>;
}
