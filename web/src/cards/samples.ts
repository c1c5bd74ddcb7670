// Starting points for the card preview page (not part of the renderer's exports). Pictures are inline SVG so
// the samples render offline.
const square = (color: string) => "data:image/svg+xml," + encodeURIComponent(
  `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="200"><rect width="200" height="200" fill="${color}"/></svg>`);
export const SAMPLES: Record<string, unknown> = {
  "Contact card": {
    cardsV2: [{
      cardId: "contact",
      card: {
        header: { title: "Sasha", subtitle: "Software engineer", imageType: "CIRCLE",
                  imageUrl: "data:image/svg+xml,%3Csvg xmlns=%27http://www.w3.org/2000/svg%27 width=%2740%27 height=%2740%27%3E%3Crect width=%2740%27 height=%2740%27 fill=%27%230b57d0%27/%3E%3Ctext x=%2720%27 y=%2727%27 font-size=%2720%27 fill=%27white%27 text-anchor=%27middle%27%3ES%3C/text%3E%3C/svg%3E",
                  imageAltText: "Avatar of Sasha" },
        sections: [{
          header: "Contact info", collapsible: true, uncollapsibleWidgetsCount: 1,
          widgets: [
            { decoratedText: { startIcon: { knownIcon: "EMAIL" }, text: "sasha@example.com" } },
            { decoratedText: { startIcon: { knownIcon: "PERSON" }, text: "<font color=\"#80e27e\">Online</font>" } },
            { decoratedText: { startIcon: { knownIcon: "PHONE" }, text: "+1 (555) 555-1234" } },
            { buttonList: { buttons: [
              { text: "Share", onClick: { openLink: { url: "https://example.com/share" } } },
              { text: "Edit", onClick: { action: { function: "goToView", parameters: [{ key: "viewType", value: "EDIT" }] } } },
            ] } },
          ],
        }],
      },
    }],
  },
  "Form": {
    cardsV2: [{
      cardId: "form",
      card: {
        header: { title: "Request time off" },
        sections: [{ widgets: [
          { textInput: { name: "reason", label: "Reason", hintText: "A few words",
                         initialSuggestions: { items: [{ text: "Holiday" }, { text: "Appointment" }] } } },
          { dateTimePicker: { name: "from", label: "From", type: "DATE_ONLY" } },
          { selectionInput: { name: "kind", label: "Kind", type: "RADIO_BUTTON", items: [
            { text: "Paid", value: "paid", selected: true }, { text: "Unpaid", value: "unpaid" }] } },
          { buttonList: { buttons: [{ text: "Send", type: "FILLED", onClick: { action: {
            function: "send", requiredWidgets: ["reason"] } } }] } },
        ] }],
      },
    }],
  },
  "Grid and carousel": {
    cardsV2: [{
      cardId: "gallery",
      card: {
        sections: [{ widgets: [
          { grid: { title: "Pick one", columnCount: 2, items: [
            { id: "a", title: "First", subtitle: "one", image: { imageUri: square("#34a853") } },
            { id: "b", title: "Second", subtitle: "two", image: { imageUri: square("#fbbc04") } }],
            onClick: { action: { function: "pick" } } } },
          { carousel: { carouselCards: [
            { widgets: [{ textParagraph: { text: "<b>Slide 1</b>" } }],
              footerWidgets: [{ buttonList: { buttons: [{ text: "Open", onClick: { action: { function: "open" } } }] } }] },
            { widgets: [{ textParagraph: { text: "<b>Slide 2</b>" } }] }] } },
        ] }],
      },
    }],
  },
};
