// The frame every merchant page renders in. Embedded in the Shopify admin it uses App Bridge (title
// bar, navigation menu, toasts); in the demo store (no admin around it) the same pages get Polaris'
// own Frame, Navigation and Toast. Pages only use AppPage, useAppPath, useFormat and useToast.
import { Link, useLocation, useNavigate } from "@remix-run/react";
import { NavMenu, TitleBar, useAppBridge } from "@shopify/app-bridge-react";
import { AppProvider as PolarisAppProvider, Banner, BlockStack, Box, Frame, Navigation, Page, type PageProps, Select, Toast } from "@shopify/polaris";
import type { LinkLikeComponentProps } from "@shopify/polaris/build/ts/src/utilities/link";
import { type ReactNode, createContext, forwardRef, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { I18nextProvider, useTranslation } from "react-i18next";
import { type Formatter, createFormatter } from "~/i18n/format";
import { createI18n } from "~/i18n/i18n";
import { LOCALES, type Locale } from "~/i18n/locales";
import { POLARIS_TRANSLATIONS } from "~/i18n/polaris";

export type ShellData = {
  mode: "embedded" | "demo";
  locale: Locale;
  shop: string;
  shopName: string;
  currency: string | null;
  apiKey: string;
};

type ShellValue = ShellData & { basePath: "/app" | "/demo"; format: Formatter; toast: (message: string, options?: { isError?: boolean }) => void };

const ShellContext = createContext<ShellValue | null>(null);

export function useShell(): ShellValue {
  const shell = useContext(ShellContext);
  if (!shell) throw new Error("useShell outside AppShell");
  return shell;
}

export const useFormat = (): Formatter => useShell().format;
export const useToast = () => useShell().toast;

/** A path inside the app, keeping the language: `appPath("/customers", { sort: "ltv" })`. */
export function useAppPath(): (path: string, params?: Record<string, string | number | null | undefined>) => string {
  const { basePath, locale } = useShell();
  return useCallback(
    (path, params) => {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(params ?? {})) if (value !== null && value !== undefined && value !== "") search.set(key, String(value));
      search.set("locale", locale);
      return `${basePath}${path === "/" ? "" : path}?${search.toString()}`;
    },
    [basePath, locale],
  );
}

const NAV_ITEMS = [
  { path: "/", key: "dashboard" },
  { path: "/segments", key: "segments" },
  { path: "/customers", key: "customers" },
  { path: "/suggestions", key: "suggestions" },
  { path: "/settings", key: "settings" },
] as const;

type ToastState = { message: string; isError: boolean } | null;

function EmbeddedChrome({ children, setToast }: { children: ReactNode; setToast: (toast: (message: string, options?: { isError?: boolean }) => void) => void }) {
  const shopify = useAppBridge();
  const { t } = useTranslation();
  const appPath = useAppPath();
  useEffect(() => setToast((message, options) => shopify.toast.show(message, { isError: options?.isError })), [shopify, setToast]);
  return (
    <>
      <NavMenu>
        {NAV_ITEMS.map((item) => (
          <Link key={item.key} to={appPath(item.path)} rel={item.path === "/" ? "home" : undefined}>
            {t(`nav.${item.key}`)}
          </Link>
        ))}
      </NavMenu>
      {children}
    </>
  );
}

function DemoChrome({ children, toast, clearToast }: { children: ReactNode; toast: ToastState; clearToast: () => void }) {
  const { t } = useTranslation();
  const { locale, shopName } = useShell();
  const appPath = useAppPath();
  const location = useLocation();
  const navigate = useNavigate();
  const navigation = (
    <Navigation location={location.pathname}>
      <Navigation.Section
        title={shopName}
        items={NAV_ITEMS.map((item) => {
          const path = `/demo${item.path === "/" ? "" : item.path}`;
          return {
            url: appPath(item.path),
            label: t(`nav.${item.key}`),
            selected: item.path === "/" ? location.pathname === "/demo" : location.pathname.startsWith(path),
          };
        })}
      />
    </Navigation>
  );
  return (
    <Frame navigation={navigation}>
      <Box padding="400" paddingBlockEnd="0">
        <BlockStack gap="200">
          <Banner tone="info" title={t("demo.bannerTitle")}>
            <p>{t("demo.bannerBody")}</p>
          </Banner>
          <Box maxWidth="240px">
            <Select
              label={t("demo.language")}
              options={LOCALES.map((value) => ({ value, label: t(`languages.${value}`) }))}
              value={locale}
              onChange={(value) => {
                const url = new URL(window.location.href);
                url.searchParams.set("locale", value);
                navigate(`${url.pathname}${url.search}`);
              }}
            />
          </Box>
        </BlockStack>
      </Box>
      {children}
      {toast && <Toast content={toast.message} error={toast.isError} onDismiss={clearToast} />}
    </Frame>
  );
}

const APP_BRIDGE_URL = "https://cdn.shopify.com/shopifycloud/app-bridge.js";

/** Polaris links navigate with Remix (client-side), external ones open normally. */
const RemixPolarisLink = forwardRef<HTMLAnchorElement, LinkLikeComponentProps>(function RemixPolarisLink({ url, external, children, ...rest }, ref) {
  if (external) {
    return (
      <a href={url} ref={ref} target="_blank" rel="noopener noreferrer" {...rest}>
        {children}
      </a>
    );
  }
  return (
    <Link to={url} ref={ref} {...rest}>
      {children}
    </Link>
  );
});

/**
 * What @shopify/shopify-app-remix's AppProvider does — App Bridge's script when embedded, Remix
 * navigation for App Bridge's nav menu, Polaris with Remix links — but importing Polaris from the same
 * bundle as the pages: that package is external to the server build and would load a second Polaris
 * whose React context the pages cannot see.
 */
function ShellProvider({ embedded, apiKey, locale, children }: { embedded: boolean; apiKey: string; locale: Locale; children: ReactNode }) {
  const navigate = useNavigate();
  useEffect(() => {
    const handleNavigate = (event: Event) => {
      const href = (event.target as HTMLElement | null)?.getAttribute("href");
      if (href) navigate(href);
    };
    addEventListener("shopify:navigate", handleNavigate);
    return () => removeEventListener("shopify:navigate", handleNavigate);
  }, [navigate]);
  return (
    <>
      {embedded && <script src={APP_BRIDGE_URL} data-api-key={apiKey} />}
      <PolarisAppProvider i18n={POLARIS_TRANSLATIONS[locale]} linkComponent={RemixPolarisLink}>
        {children}
      </PolarisAppProvider>
    </>
  );
}

export function AppShell({ data, children }: { data: ShellData; children: ReactNode }) {
  const i18n = useMemo(() => createI18n(data.locale), [data.locale]);
  const format = useMemo(() => createFormatter(data.locale, data.currency), [data.locale, data.currency]);
  const [demoToast, setDemoToast] = useState<ToastState>(null);
  const [embeddedToast, setEmbeddedToast] = useState<(message: string, options?: { isError?: boolean }) => void>(() => () => undefined);
  const toast = useCallback(
    (message: string, options?: { isError?: boolean }) =>
      data.mode === "demo" ? setDemoToast({ message, isError: options?.isError ?? false }) : embeddedToast(message, options),
    [data.mode, embeddedToast],
  );
  const value = useMemo<ShellValue>(
    () => ({ ...data, basePath: data.mode === "demo" ? "/demo" : "/app", format, toast }),
    [data, format, toast],
  );
  const registerEmbeddedToast = useCallback((show: (message: string, options?: { isError?: boolean }) => void) => setEmbeddedToast(() => show), []);
  return (
    <ShellProvider embedded={data.mode === "embedded"} apiKey={data.apiKey} locale={data.locale}>
      <I18nextProvider i18n={i18n}>
        <ShellContext.Provider value={value}>
          {data.mode === "embedded" ? (
            <EmbeddedChrome setToast={registerEmbeddedToast}>{children}</EmbeddedChrome>
          ) : (
            <DemoChrome toast={demoToast} clearToast={() => setDemoToast(null)}>
              {children}
            </DemoChrome>
          )}
        </ShellContext.Provider>
      </I18nextProvider>
    </ShellProvider>
  );
}

type AppPageProps = {
  title: string;
  subtitle?: string;
  backAction?: { content: string; url: string };
  primaryAction?: { content: string; onAction?: () => void; url?: string; loading?: boolean; disabled?: boolean };
  secondaryActions?: Array<{ content: string; onAction?: () => void; url?: string }>;
  fullWidth?: boolean;
  children: ReactNode;
};

/** A Polaris page whose title and actions live in App Bridge's title bar when embedded. */
export function AppPage({ title, subtitle, backAction, primaryAction, secondaryActions, fullWidth, children }: AppPageProps) {
  const { mode } = useShell();
  const navigate = useNavigate();
  if (mode === "demo") {
    const pageProps: PageProps = { title, subtitle, fullWidth, backAction, primaryAction, secondaryActions };
    return <Page {...pageProps}>{children}</Page>;
  }
  const go = (action: { onAction?: () => void; url?: string }) => () => (action.url ? navigate(action.url) : action.onAction?.());
  return (
    <Page fullWidth={fullWidth} backAction={backAction} subtitle={subtitle}>
      <TitleBar title={title}>
        {backAction && <button onClick={() => navigate(backAction.url)}>{backAction.content}</button>}
        {primaryAction && (
          <button variant="primary" onClick={go(primaryAction)} disabled={primaryAction.disabled || primaryAction.loading}>
            {primaryAction.content}
          </button>
        )}
        {secondaryActions?.map((action) => (
          <button key={action.content} onClick={go(action)}>
            {action.content}
          </button>
        ))}
      </TitleBar>
      {children}
    </Page>
  );
}
