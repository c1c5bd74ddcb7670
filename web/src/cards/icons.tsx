// Card icons without icon fonts (the CSP allows fonts from this origin only): Google's known icons and the
// common Material Symbols as emoji, an icon URL as an image, anything else as a neutral dot with its name.
import { safeImage } from "./format";

const KNOWN: Record<string, string> = {
  AIRPLANE: "✈️", BOOKMARK: "🔖", BUS: "🚌", CAR: "🚗", CLOCK: "🕒", CONFIRMATION_NUMBER_ICON: "🎫",
  DESCRIPTION: "📄", DOLLAR: "💲", EMAIL: "✉️", EVENT_SEAT: "💺", FLIGHT_ARRIVAL: "🛬", FLIGHT_DEPARTURE: "🛫",
  HOTEL: "🏨", HOTEL_ROOM_TYPE: "🛏️", INVITE: "📨", MAP_PIN: "📍", MEMBERSHIP: "🪪", MULTIPLE_PEOPLE: "👥",
  PERSON: "👤", PHONE: "📞", RESTAURANT_ICON: "🍴", SHOPPING_CART: "🛒", STAR: "⭐", STORE: "🏬", TICKET: "🎟️",
  TRAIN: "🚆", VIDEO_CAMERA: "📹", VIDEO_PLAY: "▶️",
};
const MATERIAL: Record<string, string> = {
  add: "➕", check: "✔️", check_circle: "✅", close: "✖️", delete: "🗑️", edit: "✏️", info: "ℹ️", warning: "⚠️",
  error: "⛔", search: "🔍", settings: "⚙️", home: "🏠", person: "👤", group: "👥", mail: "✉️", email: "✉️",
  call: "📞", phone: "📞", calendar_today: "📅", event: "📅", schedule: "🕒", link: "🔗", open_in_new: "↗️",
  star: "⭐", favorite: "❤️", thumb_up: "👍", thumb_down: "👎", send: "📤", refresh: "🔄", more_vert: "⋮",
  arrow_forward: "→", arrow_back: "←", lock: "🔒", bug_report: "🐞", description: "📄", attach_file: "📎",
  notifications: "🔔", done: "✔️", help: "❓", chat: "💬", visibility: "👁️", download: "⬇️", upload: "⬆️",
};

/** Renders an Icon {knownIcon | iconUrl | materialIcon, altText, imageType}. */
export function Icon({ icon }: { icon: any }) {
  if (!icon || typeof icon !== "object") return null;
  const alt = typeof icon.altText === "string" ? icon.altText : "";
  const round = icon.imageType === "CIRCLE" ? " card-icon-circle" : "";
  if (icon.iconUrl !== undefined) {
    const src = safeImage(icon.iconUrl);
    return src ? <img class={"card-icon" + round} src={src} alt={alt} /> : <span class="card-icon" title={alt}>▫️</span>;
  }
  const name = icon.knownIcon ?? icon.materialIcon?.name;
  const glyph = (icon.knownIcon ? KNOWN[icon.knownIcon] : MATERIAL[icon.materialIcon?.name]) ?? "•";
  const label = alt || (typeof name === "string" ? name.toLowerCase().replace(/_/g, " ") : "");
  return <span class={"card-icon" + round} role={label ? "img" : undefined} aria-label={label || undefined}
               aria-hidden={label ? undefined : true} title={label || undefined} data-icon={name}>{glyph}</span>;
}
