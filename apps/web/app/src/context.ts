import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Api, Session } from './api';
import type { AppConfig } from './config';

export interface AppContextValue {
  api: Api;
  config: AppConfig;
  session: Session | undefined;
  setSession: (session: Session | undefined) => void;
  online: boolean;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const value = useContext(AppContext);
  if (!value) throw new Error('useApp outside the app');
  return value;
}
